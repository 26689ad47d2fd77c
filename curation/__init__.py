"""Curation of training data: staff verdicts reviewed by a person, new examples screened
against the questions that must stay unseen, then added to data/nlu/."""
