"""Reading one fetched page (pure): its charset, language, publication date,
JSON-LD, the boxes around the story and the story's own parts."""
