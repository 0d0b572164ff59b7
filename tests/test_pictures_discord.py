"""Pictures and exports on Discord: discord.py's real command tree and buttons, with a stand-in interaction."""

import io
import re

import discord
from PIL import Image

from adapters.discord_pictures import UPLOAD_LIMIT, PictureButton
from adapters.discord_render import check_embeds
from test_discord import client, interaction, run

# test_discord's fixture: a BriefbotClient on the shipped data.
client = client


def test_related_puts_the_relationship_picture_inside_its_embed(client):
    call = interaction(client)
    run(client.tree.get_command("related").callback(call, "Salt Typhoon"))
    [sent] = call.response.sent
    [embed] = sent["embeds"]
    [file] = sent["files"]
    assert embed.image.url == f"attachment://{file.filename}"
    image = Image.open(io.BytesIO(file.fp.read()))
    assert image.width >= 1200 and "Salt Typhoon" in image.text["Title"]
    assert check_embeds(sent["embeds"]) == []
    custom_ids = [item.custom_id for item in sent["view"].children]
    assert "briefbot:timeline:salt-typhoon" in custom_ids and "briefbot:export:salt-typhoon" in custom_ids
    assert custom_ids[-1] == "briefbot:share:/related Salt Typhoon"


def test_who_offers_the_pictures_and_export_as_buttons(client):
    call = interaction(client)
    run(client.tree.get_command("who").callback(call, "i-Soon"))
    [sent] = call.response.sent
    assert "files" not in sent
    assert [item.custom_id for item in sent["view"].children][:3] == [
        "briefbot:graph:isoon",
        "briefbot:timeline:isoon",
        "briefbot:export:isoon",
    ]


def test_the_timeline_button_answers_with_the_picture_in_an_embed(client):
    call = interaction(client)
    run(PictureButton("timeline", "integrity-tech", "Timeline").callback(call))
    [sent] = call.response.sent
    assert sent["embed"].image.url == f"attachment://{sent['file'].filename}"
    assert Image.open(io.BytesIO(sent["file"].fp.read())).width >= 1200


def test_export_attaches_markdown_pdf_and_pictures_within_discords_limit(client):
    call = interaction(client)
    run(PictureButton("export", "isoon", "Export").callback(call))
    [sent] = call.response.sent
    names = [f.filename for f in sent["files"]]
    assert names == ["i-soon.md", "i-soon.pdf", "i-soon-graph.png", "i-soon-timeline.png"]
    contents = {f.filename: f.fp.read() for f in sent["files"]}
    assert (
        contents["i-soon.md"].startswith(b"**TLP:CLEAR**")
        and b"\n# i-Soon" in contents["i-soon.md"]
        and contents["i-soon.pdf"].startswith(b"%PDF")
    )
    assert sum(len(data) for data in contents.values()) <= UPLOAD_LIMIT
    assert sent["ephemeral"] is True


def test_buttons_are_rebuilt_from_their_custom_id_and_a_stale_one_says_so(client):
    match = re.fullmatch(PictureButton.__discord_ui_compiled_template__, "briefbot:graph:gone")
    button = run(PictureButton.from_custom_id(None, discord.ui.Button(label="Relationship picture"), match))
    assert (button.kind, button.entity_id) == ("graph", "gone")
    call = interaction(client)
    run(button.callback(call))
    assert "could not make that" in call.response.sent[0]["content"]
