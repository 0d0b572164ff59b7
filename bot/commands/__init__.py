"""The bot's commands, one module each; ALL is the set a bot serves."""

from bot.commands.ask import ASK
from bot.commands.digest import DIGEST
from bot.commands.help import HELP
from bot.commands.related import RELATED
from bot.commands.sanctions import SANCTIONS
from bot.commands.screen import SCREEN
from bot.commands.status import STATUS
from bot.commands.who import WHO

__all__ = ["ALL"]

ALL = (WHO, RELATED, SANCTIONS, ASK, DIGEST, SCREEN, STATUS, HELP)
