"""Pictures of what the knowledge base knows: the relationship graph and the timeline, as PNG bytes."""

from bot.pictures.canvas import DrawnText, Picture, text_image
from bot.pictures.graph import MAX_NEIGHBOURS, relationship_picture
from bot.pictures.timeline import timeline_picture

__all__ = ["MAX_NEIGHBOURS", "DrawnText", "Picture", "relationship_picture", "text_image", "timeline_picture"]
