"""A random Ludus agent: joins a match with its seat token and plays uniformly random legal
actions until the match ends. Its last line of output is the result as JSON:
{"matchId": ..., "seat": ..., "returns": [...], "reason": ...}.

    python3 clients/python/example_random_agent.py --server http://localhost:2567 \
        --match m1 --token SEAT_TOKEN [--seed 7]
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ludus_client import LudusClient, LudusError  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description="Play random legal moves in a Ludus match.")
    parser.add_argument("--server", required=True, help="arena url, e.g. http://localhost:2567")
    parser.add_argument("--match", required=True, help="match id")
    parser.add_argument("--token", required=True, help="seat token of this match")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random choices")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the server")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    try:
        # Random play reads only the legal ids: no tensor or texts in the decisions.
        client = LudusClient(args.server, timeout=args.timeout, decision={})
    except Exception as error:  # socketio raises its own ConnectionError types
        print(f"cannot connect to {args.server}: {error}", file=sys.stderr)
        return 2
    try:
        seats = client.join(args.match, args.token)
        obs, info = client.reset()
        moves = 0
        while obs is not None:
            obs, _reward, terminated, truncated, info = client.step(rng.choice(obs["legal_actions"]))
            moves += 1
            if terminated or truncated:
                break
        print(f"played {moves} moves as seat {seats}", file=sys.stderr)
        print(json.dumps({"matchId": info["match_id"], "seat": seats[0], "returns": info["returns"],
                          "reason": info["reason"]}))
        return 0
    except LudusError as error:
        print(f"rejected: {error}", file=sys.stderr)
        return 1
    finally:
        client.close()


if __name__ == "__main__":
    sys.exit(main())
