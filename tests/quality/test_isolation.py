"""Object-level isolation between two pairings of the same cohort.

The declarations name the trainee's pairing (`mentorship_world(w).pairing`,
its log, ...). Here every declared path is built a second time for the
*other* pair of the cohort; wherever the path changes, it names the other
pair's object, and the trainee and mentor of the first pair must get 404
(existence does not leak), while the cohort's coordinator still gets in.
"""

import copy
import dataclasses

import pytest

from tests.factories.mentorship import mentorship_world
from tests.factories.training import training_world

from .conftest import sign_in_as
from .forms import page_text
from .url_access import MATRIX

pytestmark = pytest.mark.django_db

OUTSIDERS = ["trainee", "mentor"]


def peer_view(world):
    """A copy of the world in which the declared pairing objects are the other pair's."""
    mine = mentorship_world(world)
    training_world(world)  # built once here, so the copy shares it instead of building a second one
    peer = copy.copy(world)
    peer._mentorship = dataclasses.replace(mine, pairing=mine.peer_pairing, log=mine.peer_log)
    return peer


def test_the_other_pairs_objects_answer_404_to_this_pair(client, declared_world):
    world = declared_world
    peer = peer_view(world)
    checked, wrong = [], []
    for name, access in MATRIX.items():
        try:
            mine, theirs = access.path(world), access.path(peer)
        except AttributeError:
            continue
        if mine == theirs:
            continue
        checked.append(name)
        for role in OUTSIDERS:
            sign_in_as(client, world, role)
            status = access.send(client, peer).status_code
            if status != 404:
                wrong.append(f"{name} as {role}: {status}")
    assert "mentorship:pairing-detail" in checked and "mentorship:session-log-review" in checked
    assert wrong == [], f"The other pair's objects answered (expected 404): {wrong}"


def test_the_other_pairs_private_notes_appear_on_no_page_of_this_pair(client, declared_world):
    world = declared_world
    secret = "丙组的秘密记录"  # what the other pair's mentor wrote in their log
    assert mentorship_world(world).peer_log.went_well == secret
    for role in OUTSIDERS:
        sign_in_as(client, world, role)
        for name, access in MATRIX.items():
            if access.method == "get" and access.expect.get(role) == 200:
                assert secret not in page_text(client.get(access.path(world))), f"{name} as {role}"
