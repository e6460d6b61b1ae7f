"""Pure analysis: text in, small dataclasses out (no session, clock or network).

Modules: `text` (sentences, tokens), `numbers`, `dates`, `places`, `lexicon`
(the story's vocabularies), `relevance`, `claims` (seed claims and their
signatures), `matching` (figure observations), `raids`, `entities`.
"""
