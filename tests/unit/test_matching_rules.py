"""The matching rules: a free place first, then shared sector, region and goals, then the track record (past
pairings completed and how protégés rated the mentor), each reason said in words."""

from portal.workflows.programmes.matching.rules import Candidate, Record, Seeker, match, rank, words

SEEKER = Seeker(sector="Construction", region="Ontario chapter", goals="Prepare the CCM exam and claims")


def candidate(**overrides) -> Candidate:
    values = {
        "expertise": "Contract claims, CCM preparation",
        "sector": "construction",
        "region": "Quebec chapter",
        "places_left": 1,
        "record": Record(),
    }
    return Candidate(**{**values, **overrides})


def test_the_reasons_say_what_is_shared_and_the_track_record():
    found = match(SEEKER, candidate(record=Record(completed=4, average_rating=4.5)))
    assert (
        found.explanation
        == "matches your sector and goal; 4 completed pairings; rated 4.5 out of 5 by past protégés"
    )
    assert (
        match(SEEKER, candidate(region="Ontario chapter")).reasons[0]
        == "matches your sector, region and goal"
    )
    assert match(Seeker(), candidate()).reasons == ()


def test_a_mentor_without_a_place_comes_after_every_mentor_with_one():
    full = candidate(places_left=0, region="Ontario chapter", record=Record(completed=6, average_rating=5.0))
    plain = candidate(sector="Health", expertise="Ward rounds")
    assert [key for key, _ in rank(SEEKER, [("full", full), ("plain", plain)])] == ["plain", "full"]
    assert "no place free now" in match(SEEKER, full).reasons


def test_past_pairings_completed_and_well_rated_rank_a_mentor_higher():
    proven = candidate(record=Record(completed=4, average_rating=4.6))
    new = candidate()
    dropped = candidate(record=Record(withdrawn_after_accepting=2))
    poorly_rated = candidate(record=Record(completed=1, average_rating=2.0))
    ranked = [
        k
        for k, _ in rank(
            SEEKER, [("new", new), ("dropped", dropped), ("poor", poorly_rated), ("proven", proven)]
        )
    ]
    assert ranked == ["proven", "new", "poor", "dropped"]


def test_goal_words_count_without_the_common_ones():
    assert words("How to become a better Claims manager") == {"claims", "manager"}
    more = match(SEEKER, candidate(expertise="Claims, CCM exam preparation"))
    fewer = match(SEEKER, candidate(expertise="Claims"))
    assert more.score > fewer.score
