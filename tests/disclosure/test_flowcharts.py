"""The public procedure flowcharts are drawn from the workflow's own table, and the table cannot drift
from the workflow code: these tests read cases/workflow/*.py and compare."""

import ast
import inspect
from pathlib import Path

import pytest
from django.urls import reverse

import cases.workflow
from cases.models import CaseState, CoerciveMeasure, MeasureState
from cases.workflow import coercion as coercion_module
from cases.workflow.graph import COERCION, FLOWS, ORDINARY, SUMMARY, Edge, Flow
from disclosure import flowcharts

WORKFLOW_DIR = Path(cases.workflow.__file__).parent
CASE_FLOWS = (ORDINARY, SUMMARY)

NAV_SCRIPT = '<script src="/static/js/nav.js" defer></script>'


def _case_states(expr, function, functions):
    """The CaseState values an expression can take inside `function` (literals, local names, helpers)."""
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "CaseState":
        return {CaseState[expr.attr].value}
    if isinstance(expr, ast.Name):
        found = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets):
                found |= _case_states(node.value, function, functions)
        return found
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in functions:
        helper = functions[expr.func.id]
        return {
            CaseState[n.attr].value
            for n in ast.walk(helper)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "CaseState"
        }
    if isinstance(expr, ast.IfExp):
        return _case_states(expr.body, function, functions) | _case_states(expr.orelse, function, functions)
    raise AssertionError(f"cannot tell the target state of {ast.dump(expr)} in {function.name}: extend this test")


def workflow_moves():
    """{(step function, target state)} of every state change the workflow code makes: each
    transition(case, actor, <state>, …) call, and each Case(…, state=<state>) it creates."""
    moves = set()
    for path in sorted(WORKFLOW_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
        for function in functions.values():
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                if isinstance(node.func, ast.Name) and node.func.id == "transition" and len(node.args) >= 3:
                    moves |= {(function.name, s) for s in _case_states(node.args[2], function, functions)}
                if isinstance(node.func, ast.Name) and node.func.id == "Case":
                    for keyword in node.keywords:
                        if keyword.arg == "state":
                            moves |= {(function.name, s) for s in _case_states(keyword.value, function, functions)}
    return moves


def chart_moves(flows=CASE_FLOWS):
    return {(edge.step, str(edge.target)) for flow in flows for edge in flow.edges}


def test_the_workflow_code_finds_moves_at_all():
    """Guard against a parser that silently finds nothing."""
    moves = workflow_moves()
    assert ("approve_filing", CaseState.INVESTIGATING) in moves
    assert ("give_legal_review", CaseState.INVESTIGATING) in moves  # via a local variable
    assert ("proceed_to_decision", CaseState.DELIBERATION) in moves  # via a helper function
    assert ("decide_on_the_spot", CaseState.DECIDED) in moves  # a case created in a state


def test_every_move_of_the_workflow_code_is_on_a_chart_and_no_other():
    in_code, on_charts = workflow_moves(), chart_moves()
    assert in_code - on_charts == set(), "cases.workflow makes moves that cases/workflow/graph.py does not list"
    assert on_charts - in_code == set(), "cases/workflow/graph.py lists moves that cases.workflow never makes"


def test_the_drift_check_fails_when_the_table_misses_a_move():
    trimmed = Flow("x", "x", "", CaseState, tuple(e for e in ORDINARY.edges if e.step != "decline_filing"))
    assert ("decline_filing", CaseState.NOT_FILED) in workflow_moves() - chart_moves((trimmed, SUMMARY))


@pytest.mark.parametrize("state", list(CaseState))
def test_every_case_state_is_on_a_chart(state):
    assert any(state in flow.nodes() for flow in CASE_FLOWS), f"state {state} is on no procedure chart"


def test_every_measure_state_is_on_the_coercion_chart():
    assert set(COERCION.nodes()) == set(MeasureState)
    # The measure is created in force (the model's default), and ended released or disposed: the
    # states end_measure accepts are exactly the chart's targets of end_measure.
    assert CoerciveMeasure._meta.get_field("state").default == MeasureState.IN_FORCE
    assert {e.target for e in COERCION.edges if e.source is None} == {MeasureState.IN_FORCE}
    source = inspect.getsource(coercion_module.end_measure)
    named = {s for s in MeasureState if f"MeasureState.{s.name}" in source} - {MeasureState.IN_FORCE}
    assert named == {e.target for e in COERCION.edges if e.step == "end_measure"}


def test_every_step_on_a_chart_is_a_workflow_function():
    for flow in FLOWS.values():
        for edge in flow.edges:
            assert callable(getattr(cases.workflow, edge.step, None)), edge.step
        for steps in flow.within.values():
            for step in steps:
                assert callable(getattr(cases.workflow, step, None)), step


@pytest.mark.parametrize("key", list(FLOWS))
def test_the_svg_shows_every_state_and_is_accessible(key):
    flow = FLOWS[key]
    svg = flowcharts.render_svg(flow)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert f'<title id="flow-{key}-title">{flow.title}</title>' in svg
    assert f'<desc id="flow-{key}-desc">' in svg
    for state in flow.nodes():
        assert f'data-state="{state.value}"' in svg
        assert f">{state.label}</text>" in svg


def test_a_new_move_in_the_table_changes_the_chart():
    """Nothing is hand-drawn: a state added to the table appears in the drawing and the text list."""
    flow = Flow(
        "test",
        "测试流程",
        "",
        CaseState,
        (
            Edge("register_lead", None, CaseState.LEAD),
            Edge("approve_filing", CaseState.LEAD, CaseState.INVESTIGATING),
            Edge("decline_filing", CaseState.LEAD, CaseState.NOT_FILED),
        ),
    )
    svg = flowcharts.render_svg(flow)
    assert f'data-state="{CaseState.NOT_FILED}"' in svg
    assert f'data-state="{CaseState.ARCHIVED}"' not in svg
    _entries, states = flowcharts.text_steps(flow)
    assert [label for label, _moves, _inside in states][0] == CaseState.LEAD.label
    assert {s.target for s in states[0][1]} == {CaseState.INVESTIGATING.label, CaseState.NOT_FILED.label}


def test_back_edges_do_not_break_the_layout():
    placed = flowcharts.layout(ORDINARY)[0]
    # The returned review goes back to investigation, drawn as a back edge: investigation stays above.
    assert placed[CaseState.INVESTIGATING].rank < placed[CaseState.LEGAL_REVIEW].rank
    assert placed[CaseState.LEAD].rank == 0
    assert placed[CaseState.ARCHIVED].rank == max(p.rank for p in placed.values())


def test_procedures_page_inline_svg_and_text_list_without_login(client, db):
    response = client.get(reverse("exante:procedures"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == len(FLOWS)
    for flow in FLOWS.values():
        assert str(flow.title) in html
        assert reverse("exante:procedure-svg", args=[flow.key]) in html
    # The text list beside the chart names the steps with their articles.
    assert "批准立案 → 调查取证" in html
    assert "《行政处罚法》第五十八条" in html
    assert "<script" not in html.replace(NAV_SCRIPT, "")  # nav.js only scrolls the phone navigation


def test_procedure_svg_download(client, db):
    response = client.get(reverse("exante:procedure-svg", args=["coercion"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in body
    assert client.get("/public/procedures/nonesuch.svg").status_code == 404
