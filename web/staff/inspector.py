"""Ask the trained assistant a question and explain its answer, for staff.

The web server loads the model itself on first use (Rasa's HTTP API stays off), sends the
question as a fresh conversation with the real actions on a practice action server (a
scratch case store, no mail: web/staff/practice.py), and reads back the parse (intent,
confidence, ranking, entities, safety net) and which policy and rule acted.
"""

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any, Dict, List

import yaml

from core.settings import PROJECT_ROOT
from channels.agent import load_agent
from core.labels import known_labels, sections_of
from web.staff.practice import PracticeActions

RULES = PROJECT_ROOT / "data" / "rules"


def rules_for(intent: str, action: str) -> List[str]:
    """Names of the rules in data/rules/ where this intent is followed by this action."""
    names = []
    for path in sorted(RULES.glob("*.yml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules", []):
            steps = rule.get("steps", [])
            for first, second in zip(steps, steps[1:]):
                intents = ([first["intent"]] if "intent" in first else
                           [o.get("intent") for o in first.get("or", [])])
                if intent in intents and second.get("action") == action:
                    names.append(rule["rule"])
    return names


class Inspector:
    def __init__(self, model: Path, practice: PracticeActions) -> None:
        self.model = model
        self.practice = practice
        self._agent: Any = None
        self._lock = asyncio.Lock()

    async def agent(self) -> Any:
        async with self._lock:
            if self._agent is None:
                if not self.model.exists():
                    raise FileNotFoundError(f"no trained model at {self.model}: make train")
                loop = asyncio.get_running_loop()
                action_url = await loop.run_in_executor(None, self.practice.url)
                self._agent = await loop.run_in_executor(
                    None, load_agent, self.model, action_url)
            return self._agent

    async def inspect(self, question: str) -> Dict[str, Any]:
        from rasa.shared.core.events import ActionExecuted, UserUttered

        agent = await self.agent()
        sender = f"staff-{uuid.uuid4().hex}"
        messages = await agent.handle_text(question, sender_id=sender) or []
        tracker = await agent.tracker_store.retrieve(sender)
        store = getattr(agent.tracker_store, "store", None)
        if isinstance(store, dict):
            store.pop(sender, None)  # a workbench question is not a conversation to keep
        events = list(tracker.events)
        last_user = max(i for i, e in enumerate(events) if isinstance(e, UserUttered))
        parse = events[last_user].parse_data
        intent = parse.get("intent") or {}
        acted = [e for e in events[last_user:]
                 if isinstance(e, ActionExecuted) and e.action_name != "action_listen"]
        sections = sections_of(messages)
        return {
            "question": question,
            "reply": [m for m in messages if m.get("text")],
            "section": sections[0] if len(sections) == 1 else None,
            "intent": {"name": intent.get("name"),
                       "confidence": round(float(intent.get("confidence") or 0), 3)},
            "ranking": [{"name": r["name"], "confidence": round(float(r["confidence"]), 3)}
                        for r in (parse.get("intent_ranking") or [])[:5]],
            "entities": [{"entity": e.get("entity"), "value": e.get("value"),
                          "text": e.get("text") or question[e.get("start", 0):e.get("end", 0)],
                          "extractor": e.get("extractor")}
                         for e in parse.get("entities") or []],
            "safety_net": parse.get("safety_net"),
            # How the message was read in its conversation: a follow-up tied to the last
            # answer, the parts of a long or compound message, an answer to the form.
            "reading": parse.get("reading") or [],
            "parts": [{"text": question[p["start"]:p["end"]], "intent": p["intent"],
                       "answered": p["answered"]} for p in parse.get("parts") or []],
            "actions": [{"action": e.action_name, "policy": e.policy,
                         "confidence": None if e.confidence is None else round(e.confidence, 3),
                         "rules": rules_for(intent.get("name") or "", e.action_name)}
                        for e in acted],
        }


def inspector_from_settings(settings: Dict[str, Any]) -> Inspector:
    model = PROJECT_ROOT / settings["web"]["staff"]["model"]
    return Inspector(Path(os.environ.get("ASSISTANT_MODEL", model)), PracticeActions())


def label_choices() -> List[str]:
    return sorted(known_labels())
