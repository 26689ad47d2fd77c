"""The council's web site on :8000: the families' chat, the officers' queue and the
staff workbench, one Sanic app (site.py) behind one login layer (auth/)."""
