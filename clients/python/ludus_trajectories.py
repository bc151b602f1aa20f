"""Reads `ludus league export --format trajectories` output (JSONL) for RL trainers.

Each line is one (match, seat, turn): env, seat, role, agent, turn, observation (the text the
seat saw), reply (a language model's raw text, else None), action, actionText, reward (what
the move earned until the seat's next move), return (the seat's final return), done,
status, and with `--baseline rae` also baseline and advantage.

    from ludus_trajectories import read_trajectories, episodes
    for ep in episodes(read_trajectories("traj.jsonl")):
        prompts = [s["observation"] for s in ep]
        completions = [s["reply"] for s in ep]
        advantage = ep[-1].get("advantage")

Standard library only.
"""
import io
import json

REQUIRED = ("match", "seat", "turn", "observation", "action", "reward", "return")


def read_trajectories(source):
    """Yields one dict per line from a path, an open text file or an iterable of lines.

    Blank lines are skipped; a line that is not a trajectory step raises ValueError naming it.
    """
    if isinstance(source, str):
        with io.open(source, encoding="utf-8") as handle:
            yield from read_trajectories(handle)
        return
    for number, line in enumerate(source, 1):
        line = line.strip()
        if not line:
            continue
        try:
            step = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number}: not JSON ({error.msg})") from None
        missing = [key for key in REQUIRED if key not in step] if isinstance(step, dict) else list(REQUIRED)
        if missing:
            raise ValueError(f"line {number}: not a trajectory step (missing {', '.join(missing)})")
        yield step


def episodes(steps):
    """Groups steps into per-(league, match, seat) lists in turn order, in first-seen order."""
    grouped = {}
    for step in steps:
        grouped.setdefault((step.get("league"), step["match"], step["seat"]), []).append(step)
    return [sorted(group, key=lambda s: s["turn"]) for group in grouped.values()]
