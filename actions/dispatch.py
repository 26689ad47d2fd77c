"""Sending a Reply through Rasa: one message, with its `custom` contract."""

from rasa_sdk.executor import CollectingDispatcher

from actions.replies import Reply


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(
        text=reply.text, buttons=reply.buttons or None, json_message=reply.custom
    )
