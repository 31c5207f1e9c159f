"""Tests of the key handling of ``casuistry anonymise`` (casuistry.cli.anonymise)."""

from __future__ import annotations

import pytest

from casuistry.cli import main

HEADER = "case_id,event_id,time,kind,actor,to,signals,category,description"
SECRET = "Zeer-Geheim-Woord-0123456789"  # a good key: 28 characters


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "events.csv").write_text(
        HEADER + "\nc1,1,2024-01-05,signal,school,,,verzuim,belde\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(
    "argv",
    [["--key", SECRET], [f"--key={SECRET}"], ["--key"], ["--key", SECRET, "--key-file", "k"]],
)
def test_a_key_on_the_command_line_is_refused_and_never_printed(capsys, tmp_path, raw, argv):
    status, out, err = run(capsys, "anonymise", raw, "-o", tmp_path / "out", *argv)
    assert status == 2
    assert "--key is refused" in err
    assert "--key-file" in err
    assert SECRET not in out + err
    assert not (tmp_path / "out").exists()


def test_a_key_on_the_command_line_is_not_echoed_even_beside_a_usage_error(capsys, raw):
    # argparse stops at the missing -o before anonymise runs; its message holds no value
    with pytest.raises(SystemExit) as caught:
        main(["anonymise", str(raw), "--key", SECRET])
    out, err = capsys.readouterr()
    assert caught.value.code == 2
    assert SECRET not in out + err


def test_a_key_file_that_is_not_utf8_exits_2_without_a_traceback(capsys, tmp_path, raw):
    key = tmp_path / "key"
    key.write_bytes(b"\xff\xfe" + SECRET.encode("utf-16-le"))
    status, _out, err = run(capsys, "anonymise", raw, "-o", tmp_path / "out", "--key-file", key)
    assert status == 2
    assert "not UTF-8" in err and "Traceback" not in err
    assert "secrets.token_urlsafe" in err


@pytest.mark.parametrize("secret", ["x", "fifteen-chars!!"])
def test_a_short_key_is_refused_with_how_to_make_a_good_one(capsys, tmp_path, raw, secret):
    key = tmp_path / "key"
    key.write_text(secret + "\n", encoding="utf-8")
    status, _out, err = run(capsys, "anonymise", raw, "-o", tmp_path / "out", "--key-file", key)
    assert status == 2
    assert "at least 16 characters" in err
    assert 'python -c "import secrets; print(secrets.token_urlsafe(32))" > KEY' in err
    assert not (tmp_path / "out").exists()


def test_a_short_key_in_the_environment_is_refused(capsys, tmp_path, raw, monkeypatch):
    monkeypatch.setenv("CASUISTRY_KEY", "short")
    status, _, err = run(capsys, "anonymise", raw, "-o", tmp_path / "out")
    assert status == 2
    assert "at least 16 characters" in err


@pytest.mark.parametrize("days", ["999999999", "36526", "0", "-5"])
def test_a_shift_outside_the_allowed_range_exits_2_naming_the_range(capsys, tmp_path, raw, days):
    key = tmp_path / "key"
    key.write_text(SECRET, encoding="utf-8")
    status, _, err = run(
        capsys, "anonymise", raw, "-o", tmp_path / "out", "--key-file", key, "--shift-days", days
    )
    assert status == 2
    assert "from 1 to 36525" in err
    assert "Traceback" not in err and "OverflowError" not in err


def test_a_good_key_and_shift_work(capsys, tmp_path, raw):
    key = tmp_path / "key"
    key.write_text(SECRET, encoding="utf-8")
    status, out, err = run(
        capsys, "anonymise", raw, "-o", tmp_path / "out", "--key-file", key, "--shift-days", "30"
    )
    assert status == 0, err
    assert SECRET not in out + err


def test_help_says_names_are_not_checked(capsys):
    with pytest.raises(SystemExit):
        main(["anonymise", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Names of people in free text are not checked" in text
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Names of people in free text are not checked" in text
