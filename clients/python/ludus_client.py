"""A Python client for Ludus external agents (socket.io namespace /agents).

Needs python-socketio 5 (Debian: apt-get install python3-socketio python3-websocket
python3-requests; pip: pip install "python-socketio[client]"). numpy is optional: with it,
observations carry a float32 array shaped like the env's observation.

Gymnasium-like loop::

    client = LudusClient("http://localhost:2567")
    client.join(match_id, seat_token)
    obs, info = client.reset()                 # waits for the first decision request
    while True:
        action = policy(obs)                    # an id from obs["legal_actions"], or a text
        obs, reward, terminated, truncated, info = client.step(action)
        # info["played"]: what the move became (its id and text; in text envs the env's verdict)
        if terminated or truncated:
            break
    print(info["returns"])

or PettingZoo-like: ``for obs in client.agent_iter(): client.act(choose(obs))``, or many
matches at once for rollouts: ``client.play_many([(match_id, seat_token), ...], batch_policy)``.

Text envs (simple-negotiation, who-is-the-spy, propose-solve; tic-tac-toe and Kuhn under
TextArena's rules): ``obs["text_actions"]`` is set (``{"maxChars": n}``), ``obs["legal_actions"]``
is empty in text-only envs and ``obs["role_prompt"]`` briefs the seat; answer with a str. The
env judges it: ``info["played"]["verdict"]`` is ``{"kind": "move", ...}`` or, when the env's
invalid-move rule applied, ``{"kind": "invalid", "code", "reason", "final"}`` (a game event,
not an error). The protocol is documented in docs/agent-protocol.md.
"""
import queue
import time

import socketio

try:
    import numpy as _np
except ImportError:  # numpy is optional
    _np = None

NAMESPACE = "/agents"


class LudusError(Exception):
    """A rejection from the server: `code` is one of the wire error codes."""

    def __init__(self, code, message, hint=""):
        super().__init__(f"{code}: {message}" + (f" ({hint})" if hint else ""))
        self.code = code
        self.message = message
        self.hint = hint


def _wire_action(action):
    if isinstance(action, bool):
        raise TypeError("an action is an int id, a text or a dict with id/text/struct")
    if isinstance(action, int):
        return {"id": action}
    if _np is not None and isinstance(action, _np.integer):
        return {"id": int(action)}
    if isinstance(action, str):
        return {"text": action}
    if isinstance(action, dict):
        return action
    raise TypeError("an action is an int id, a text or a dict with id/text/struct")


class LudusClient:
    """One connection to a Ludus arena; plays the seats it joins, one decision at a time."""

    def __init__(self, server, token=None, path="socket.io", timeout=30.0):
        self.timeout = timeout
        self.sio = socketio.Client(reconnection=True)
        self._events = queue.Queue()
        self._answered = set()
        self._seat_tokens = {}
        self.current = None  # the decision request being answered
        self.last_played = None  # what the last accepted act became: {"id"?, "text", "verdict"?}
        self.ends = {}  # matchId -> match:end message
        self.errors = []  # error events pushed by the server
        self.states = {}  # matchId -> latest state message
        for event in ("decision", "match:end", "match:start"):
            self.sio.on(event, self._pusher(event), namespace=NAMESPACE)
        self.sio.on("state", self._on_state, namespace=NAMESPACE)
        self.sio.on("error", self._on_error, namespace=NAMESPACE)
        self.sio.on("connect", self._on_connect, namespace=NAMESPACE)
        self._connected_once = False
        auth = {"token": token} if token is not None else None
        self.sio.connect(server, namespaces=[NAMESPACE], socketio_path=path, auth=auth,
                         transports=["websocket"], wait_timeout=timeout)

    # ---- requests (ack-based)

    def request(self, event, payload):
        """Emits one event and returns the accepted result, or raises LudusError."""
        ack = self.sio.call(event, payload, namespace=NAMESPACE, timeout=self.timeout)
        if not isinstance(ack, dict) or "ok" not in ack:
            raise LudusError("client-bad-ack", f"unexpected answer {ack!r}")
        if not ack["ok"]:
            error = ack["error"]
            raise LudusError(error["code"], error["message"], error.get("hint", ""))
        return ack["result"]

    def join(self, match_id, seat_token):
        """Takes a seat; returns the seats this connection holds in the match."""
        result = self.request("join", {"matchId": match_id, "seatToken": seat_token})
        self._seat_tokens[match_id] = seat_token
        return result["seats"]

    def spectate(self, match_id):
        self.request("spectate", {"matchId": match_id})

    def ping(self):
        return self.request("ping", {"t": time.time() * 1000})["serverTime"]

    def act(self, action, decision=None):
        """Answers a decision request (default: the current one), echoing its stepIndex and seat.

        Returns the accepted result; its "action" is what the move became (in text envs, with
        the env's "verdict").
        """
        decision = decision or self.current
        if decision is None:
            raise LudusError("client-no-decision", "there is no decision request to answer")
        result = self.request("act", {"matchId": decision["matchId"], "seat": decision["seat"],
                                      "stepIndex": decision["stepIndex"], "action": _wire_action(action)})
        self.last_played = result.get("action")
        return result

    # ---- Gymnasium-like loop

    def reset(self):
        """Waits for the first decision request: returns (obs, info)."""
        kind, message = self._next()
        if kind == "match:end":
            return None, self._end_info(message)
        return self._obs(message), {"match_id": message["matchId"], "deadline": message["deadline"]}

    def step(self, action):
        """Plays `action` for the current request: returns (obs, reward, terminated, truncated, info)."""
        decision = self.current
        played = None
        try:
            played = self.act(action).get("action")
        except LudusError as error:
            # 'stale' / 'game-over': the deadline passed or the match ended; the next event says what happened.
            if error.code not in ("stale", "game-over", "timeout"):
                raise
        kind, message = self._next()
        if kind == "match:end":
            info = self._end_info(message)
            info["played"] = played
            seat = decision["seat"] if decision else 0
            truncated = message["reason"] == "aborted"
            return None, message["returns"][seat], not truncated, truncated, info
        return self._obs(message), 0.0, False, False, {"match_id": message["matchId"], "deadline": message["deadline"],
                                                       "played": played}

    def agent_iter(self):
        """Yields each decision's observation until the match ends; answer each with act()."""
        while True:
            kind, message = self._next()
            if kind == "match:end":
                return
            yield self._obs(message)

    def play_many(self, seats, policy):
        """Plays several matches at once over this one connection, for rollouts.

        `seats` is a list of (match_id, seat_token). `policy(observations)` gets every decision
        waiting at that moment (from any of the matches) and returns one action per observation
        (an id, a text or a dict), so one batched model call serves many games. Returns
        {match_id: end info} once every match has ended.
        """
        matches = []
        for match_id, token in seats:
            self.join(match_id, token)
            matches.append(match_id)
        results = {}
        while True:
            for match_id in matches:
                if match_id in self.ends and match_id not in results:
                    results[match_id] = self._end_info(self.ends[match_id])
            if len(results) == len(matches):
                return results
            batch = []
            kind, message = self._next()
            while kind is not None:
                if kind == "decision" and message["matchId"] not in self.ends:
                    batch.append(message)
                kind, message = self._next(wait=False)
            if not batch:
                continue
            actions = policy([self._obs(decision) for decision in batch])
            if len(actions) != len(batch):
                raise ValueError(f"policy returned {len(actions)} actions for {len(batch)} observations")
            for decision, action in zip(batch, actions):
                try:
                    self.act(action, decision)
                except LudusError as error:
                    if error.code not in ("stale", "game-over", "timeout"):
                        raise

    def result(self, match_id, timeout=None):
        """Blocks until the match ends; returns its match:end message."""
        deadline = time.time() + (timeout or self.timeout)
        while match_id not in self.ends:
            if time.time() > deadline:
                raise LudusError("client-timeout", f"match {match_id} did not end in time")
            time.sleep(0.01)
        return self.ends[match_id]

    def close(self):
        self.sio.disconnect()

    # ---- internals

    def _pusher(self, event):
        def push(message):
            if event == "match:end":
                self.ends[message["matchId"]] = message
            self._events.put((event, message))
        return push

    def _on_state(self, message):
        self.states[message["matchId"]] = message

    def _on_error(self, message):
        self.errors.append(message)

    def _on_connect(self):
        # A reconnection is a new session: take the seats back. Answers sent while away may
        # have been refused, so repeated decision requests are answered afresh.
        if self._connected_once:
            self._answered.clear()
            for match_id, token in self._seat_tokens.items():
                if match_id not in self.ends:
                    self.sio.emit("join", {"matchId": match_id, "seatToken": token}, namespace=NAMESPACE)
        self._connected_once = True

    def _next(self, wait=True):
        """The next unanswered decision request, or a match:end; (None, None) when not waiting and none is queued."""
        while True:
            try:
                kind, message = self._events.get(timeout=self.timeout) if wait else self._events.get_nowait()
            except queue.Empty:
                if not wait:
                    return None, None
                raise LudusError("client-timeout", "no message from the server in time") from None
            if kind == "match:end":
                self.current = None
                return kind, message
            if kind != "decision":
                continue
            key = (message["matchId"], message["seat"], message["stepIndex"])
            if key in self._answered:
                continue  # a repeat after a rejoin
            self._answered.add(key)
            self.current = message
            return kind, message

    @staticmethod
    def _obs(decision):
        observation = decision["observation"]
        tensor = observation["tensor"]
        if _np is not None:
            tensor = _np.asarray(tensor, dtype=_np.float32).reshape(observation["shape"])
        return {
            "match_id": decision["matchId"],
            "seat": decision["seat"],
            "step_index": decision["stepIndex"],
            "tensor": tensor,
            "text": observation["text"],
            "legal_actions": [a["id"] for a in decision["legalActions"]],
            "legal_texts": [a["text"] for a in decision["legalActions"]],
            "text_actions": decision.get("textActions"),
            "role_prompt": decision.get("rolePrompt"),
        }

    @staticmethod
    def _end_info(message):
        return {"match_id": message["matchId"], "returns": message["returns"], "reason": message["reason"],
                "forfeited_by": message.get("forfeitedBy"), "rating_change": message.get("ratingChange")}
