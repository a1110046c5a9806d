"""FILE.py:FUNCTION: the user's own JAX function, from the command line."""

import pytest

pytest.importorskip("jax")

import graphstep as gs  # noqa: E402
from graphstep.cli import main  # noqa: E402
from graphstep.importers.source import function_graph, is_function_spec, load_function  # noqa: E402

MODEL = '''import jax
import jax.numpy as jnp

def loss(W, x, t=0.0):
    return jnp.sum((jax.nn.sigmoid(W @ x) - t) ** 2)

if __name__ == "__main__":
    raise SystemExit("not run on import")
'''


@pytest.fixture()
def model(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    return path


def test_specs_are_recognised():
    assert is_function_spec("a/b/model.py:loss")
    assert not is_function_spec("x * exp(x)") and not is_function_spec("model.py")
    assert not is_function_spec(None)


def test_the_function_is_read_at_values_given_by_argument_name(model):
    g = function_graph(f"{model}:loss", {"W": [[1.0, 0.0], [0.0, 2.0]], "x": [0.5, -0.5]})
    assert g.inputs == ["W", "x"]
    s = 1 / (1 + __import__("math").exp(-0.5))
    s2 = 1 / (1 + __import__("math").exp(1.0))
    assert g.value == pytest.approx(s ** 2 + s2 ** 2)


def test_missing_and_unknown_arguments_and_missing_files_are_input_errors(model):
    with pytest.raises(gs.InputError, match="argument 'x' has no value"):
        function_graph(f"{model}:loss", {"W": [[1.0]]})
    with pytest.raises(gs.InputError, match="not arguments of the function"):
        function_graph(f"{model}:loss", {"W": [[1.0]], "x": [1.0], "q": 1.0})
    with pytest.raises(gs.InputError, match="has no function 'nope'; its functions: loss"):
        load_function(f"{model}:nope")
    with pytest.raises(gs.InputError, match="no such file"):
        load_function(f"{model.parent}/other.py:loss")


def test_a_file_that_fails_to_import_says_why(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("raise ValueError('broken model')\n")
    with pytest.raises(gs.InputError, match="importing it failed: ValueError: broken model"):
        load_function(f"{bad}:f")


def test_the_cli_reads_a_function_from_a_file(model, capsys, tmp_path):
    assert main(["grad", f"{model}:loss", "--at", "W=[[1,0],[0,2]]", "x=[0.5,-0.5]"]) == 0
    out = capsys.readouterr().out
    assert "∂f/∂W" in out or "W" in out
    assert main(["render", f"{model}:loss", "--at", "W=[[1,0],[0,2]]", "x=[0.5,-0.5]",
                 "-o", str(tmp_path / "g.dot")]) == 0
    assert "sigmoid" in (tmp_path / "g.dot").read_text()
    assert main(["grad", f"{model}:loss", "--at", "W=[[1,0],[0,2]]"]) == 2
    assert "argument 'x' has no value" in capsys.readouterr().err
