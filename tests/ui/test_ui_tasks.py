"""The task pages, driven headlessly (AppTest) against a real 3-node cluster: what a person
sees and what the cluster holds after they log in, create, edit, conflict, delete, filter,
page, change statuses one by one and in bulk, and move cards on the board."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from harness import Cluster
from taskraft_client import NotFound
from ui_driver import click, errors, log_in, no_exception, text

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(120)]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def as_admin(cluster: Cluster):
    return no_exception(log_in("admin", cluster.admin_password))


def test_login_refuses_a_wrong_password_in_words_then_opens_the_task_list(ui_nodes):
    at = no_exception(log_in("admin", "not-the-password"))
    assert errors(at) == ["Wrong username or password."]
    assert at.text_input(key="ui.login.username").value == "admin"

    at = as_admin(ui_nodes)
    assert [t.value for t in at.title] == ["Tasks"]
    assert "Logged in as **admin** · admin" in text(at)
    click(at, "Log out")
    assert [t.value for t in at.title] == [":material/task_alt: taskraft"]


def test_login_says_when_no_node_answers(monkeypatch):
    monkeypatch.setenv("TASKRAFT_NODES", "http://127.0.0.1:9")
    at = no_exception(log_in("admin", "whatever"))
    assert len(errors(at)) == 1 and "No node of the cluster answered" in errors(at)[0]


def test_create_shows_the_servers_field_message_under_the_field_then_creates(ui_nodes):
    at = as_admin(ui_nodes)
    project = unique("create")
    at.text_input(key="ui.form.new.g0.project").input(project)
    at.text_input(key="ui.form.new.g0.title").input("   ")
    click(at, "Create task")
    assert errors(at) == ["must be 1 to 200 characters"], "the 422 message of the title field"
    assert at.text_input(key="ui.form.new.g0.project").value == project, "input kept"

    at.text_input(key="ui.form.new.g0.title").input("Write the release notes")
    at.text_input(key="ui.form.new.g0.tags").input("release, docs")
    at.selectbox(key="ui.form.new.g0.priority").set_value("high")
    click(at, "Create task")
    no_exception(at)
    assert not errors(at)
    [created] = list(ui_nodes.admin().iter_tasks(project=project))
    assert (created.title, created.priority, created.tags, created.created_by) == (
        "Write the release notes", "high", ("release", "docs"), "admin")
    assert f"Created task #{created.id}" in text(at)
    assert any("Write the release notes" in m.value for m in at.markdown), "listed"
    assert at.text_input(key="ui.form.new.g1.title").value == "", "the form is empty again"


def open_task(at, task_id: int):
    at.session_state["ui.task_id"] = task_id
    return no_exception(at.switch_page("views/task.py").run())


def test_edit_saves_the_change_and_a_stale_edit_shows_the_current_version(ui_nodes):
    client = ui_nodes.admin()
    task = client.create_task("Draft plan", project=unique("edit"))
    at = open_task(as_admin(ui_nodes), task.id)
    form = f"ui.form.edit{task.id}.v{task.id}-1"
    at.text_input(key=f"{form}.title").input("Final plan")
    click(at, "Save changes")
    saved = client.get_task(task.id)
    assert (saved.title, saved.version) == ("Final plan", 2)
    assert "Saved task" in text(at) and "v2 · update" in text(at), "history shows the edit"

    form = f"ui.form.edit{task.id}.v{task.id}-2"
    at.text_area(key=f"{form}.description").input("my description")
    client.update_task(task.id, title="Someone else's plan")  # version 3, behind the UI's back
    click(at, "Save changes")
    page = text(at)
    assert "version 3" in page and "Your changes were not saved" in page
    assert client.get_task(task.id).description == "", "the stale edit changed nothing"

    click(at, "Reload the current version")
    no_exception(at)
    assert at.text_input(key=f"ui.form.edit{task.id}.v{task.id}-3.title").value == \
        "Someone else's plan"
    assert "Your changes were not saved" not in text(at)


def test_a_stale_edit_can_be_applied_on_top_of_the_current_version(ui_nodes):
    client = ui_nodes.admin()
    task = client.create_task("Shared", project=unique("overwrite"))
    at = open_task(as_admin(ui_nodes), task.id)
    at.selectbox(key=f"ui.form.edit{task.id}.v{task.id}-1.priority").set_value("urgent")
    client.update_task(task.id, assignee="bob")
    click(at, "Save changes")
    click(at, "Apply my changes to it")
    now = client.get_task(task.id)
    assert (now.priority, now.assignee, now.version) == ("urgent", "bob", 3)


def test_delete_asks_first_and_then_deletes(ui_nodes):
    client = ui_nodes.admin()
    project = unique("delete")
    task = client.create_task("Doomed", project=project)
    at = as_admin(ui_nodes)
    at.text_input(key="ui.tasks.project").input(project).run()
    at.button(key=f"ui.del.{task.id}").click().run()
    assert "Delete task #%d “Doomed”? This cannot be undone." % task.id in text(at)
    click(at, "Cancel")
    assert client.get_task(task.id).title == "Doomed"

    at.button(key=f"ui.del.{task.id}").click().run()
    click(at, "Yes, delete")
    no_exception(at)
    with pytest.raises(NotFound):
        client.get_task(task.id)
    assert f"Deleted task #{task.id}" in text(at) and "No task matches." in text(at)


def listed_titles(at) -> list[str]:
    return [m.value.split("**")[1] for m in at.markdown
            if m.value.startswith("**") and "  \n:gray[#" in m.value]


def test_filters_search_sort_and_cursor_paging(ui_nodes):
    client = ui_nodes.admin()
    project = unique("filters")
    for i in range(28):
        client.create_task(f"Item {i:02d}", project=project, tags=["even" if i % 2 else "odd"],
                           priority="urgent" if i < 3 else "low",
                           assignee="carol" if i == 5 else None,
                           description="needle in here" if i == 7 else "",
                           due_at=f"2027-01-{i + 1:02d}T12:00:00Z" if i < 4 else None)
    at = as_admin(ui_nodes)
    at.text_input(key="ui.tasks.project").input(project)
    at.selectbox(key="ui.tasks.sort").set_value("title").run()
    first = listed_titles(at)
    assert first == [f"Item {i:02d}" for i in range(25)], "page 1 of 25, sorted by title"
    click(at, "Next →")
    assert listed_titles(at) == ["Item 25", "Item 26", "Item 27"]
    assert "Page **2**" in text(at)
    click(at, "← Previous")
    assert listed_titles(at) == first

    at.selectbox(key="ui.tasks.priority").set_value("urgent").run()
    assert listed_titles(at) == ["Item 00", "Item 01", "Item 02"]
    at.selectbox(key="ui.tasks.priority").set_value("any")
    at.text_input(key="ui.tasks.assignee").input("carol").run()
    assert listed_titles(at) == ["Item 05"]
    at.text_input(key="ui.tasks.assignee").input("")
    at.text_input(key="ui.tasks.q").input("needle").run()
    assert listed_titles(at) == ["Item 07"]
    at.text_input(key="ui.tasks.q").input("")
    at.text_input(key="ui.tasks.tag").input("even")
    at.selectbox(key="ui.tasks.size").set_value(50).run()
    assert listed_titles(at) == [f"Item {i:02d}" for i in range(1, 28, 2)]
    at.text_input(key="ui.tasks.tag").input("")
    at.date_input(key="ui.tasks.due_after").set_value(date(2027, 1, 2))
    at.date_input(key="ui.tasks.due_before").set_value(date(2027, 1, 3)).run()
    assert listed_titles(at) == ["Item 01", "Item 02"], "due from Jan 2 until Jan 3, inclusive"


def test_quick_and_bulk_status_changes(ui_nodes):
    client = ui_nodes.admin()
    project = unique("bulk")
    a, b, c = (client.create_task(t, project=project) for t in ("A", "B", "C"))
    at = as_admin(ui_nodes)
    at.text_input(key="ui.tasks.project").input(project).run()
    at.selectbox(key=f"ui.quick.{a.id}.1").set_value("in_progress").run()
    assert client.get_task(a.id).status == "in_progress"
    assert f"Task #{a.id} “A” is now In progress." in text(at)

    at.checkbox(key=f"ui.sel.{b.id}").check()
    at.checkbox(key=f"ui.sel.{c.id}").check().run()
    assert "**2 selected** of 3 on this page" in text(at)
    at.selectbox(key="ui.tasks.bulk_status").set_value("done")
    click(at, "Apply")
    assert [client.get_task(t.id).status for t in (a, b, c)] == ["in_progress", "done", "done"]

    at.checkbox(key=f"ui.sel.{a.id}").check()
    at.checkbox(key=f"ui.sel.{b.id}").check().run()
    click(at, "Delete selected")
    assert "Delete 2 task(s)" in text(at)
    click(at, "Yes, delete them")
    no_exception(at)
    assert [t.title for t in client.iter_tasks(project=project)] == ["C"]


def test_board_shows_a_column_per_status_and_moves_cards(ui_nodes):
    client = ui_nodes.admin()
    project = unique("board")
    task = client.create_task("Card", project=project)
    at = as_admin(ui_nodes)
    at = no_exception(at.switch_page("views/board.py").run())
    at.text_input(key="ui.board.project").input(project).run()
    assert [s.value for s in at.subheader] == ["To do · 1", "In progress · 0", "Done · 0"]
    at.button(key=f"ui.move.{task.id}.in_progress").click().run()
    assert client.get_task(task.id).status == "in_progress"
    assert [s.value for s in at.subheader] == ["To do · 0", "In progress · 1", "Done · 0"]
    at.button(key=f"ui.move.{task.id}.done").click().run()
    at.button(key=f"ui.move.{task.id}.in_progress").click().run()
    at.button(key=f"ui.move.{task.id}.todo").click().run()
    assert [h.op for h in client.task_history(task.id)] == ["create"] + ["update"] * 4
    assert client.get_task(task.id).status == "todo"


def test_the_task_page_shows_the_history_with_raft_positions(ui_nodes):
    client = ui_nodes.admin()
    task = client.create_task("Historic", project=unique("history"))
    client.update_task(task.id, status="in_progress")
    history = client.task_history(task.id)
    at = open_task(as_admin(ui_nodes), task.id)
    page = text(at)
    for entry in history:
        assert f"Raft log index {entry.raft_index}, term {entry.raft_term}" in page
    assert "`status`: todo → **in_progress**" in page
    assert "**v1 · create** by **admin**" in page and "**v2 · update** by **admin**" in page


def test_an_unknown_task_id_is_said_in_words(ui_nodes):
    at = open_task(as_admin(ui_nodes), 99_999_999)
    assert "There is no task #99999999" in text(at)
