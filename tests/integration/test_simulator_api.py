"""The simulator through Google's own client libraries, exactly as the loaders use them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from ytempire_dev.simulator import MalformedRow, run_simulator
from ytempire_dev.simulator.faults import UNKNOWN_VIDEO_ID

START = datetime(2026, 11, 20, 12, tzinfo=UTC)
SCOPES = [
    "https://www.googleapis.com/auth/youtube.readonly",
    "https://www.googleapis.com/auth/yt-analytics.readonly",
    "https://www.googleapis.com/auth/yt-analytics-monetary.readonly",
]


@pytest.fixture
def sim():
    with run_simulator(seed=7, channels=3, videos_per_channel=5, clock=START) as s:
        yield s


def creds(sim, channel, scopes=SCOPES) -> Credentials:
    return Credentials(
        token=None,
        refresh_token=channel.refresh_token,
        client_id="cid",
        client_secret="secret",
        token_uri=sim.url + "/token",
        scopes=scopes,
    )


def youtube(sim, channel, **kw):
    return build(
        "youtube",
        "v3",
        credentials=creds(sim, channel, **kw),
        client_options={"api_endpoint": sim.url},
        static_discovery=True,
    )


def analytics(sim, channel, **kw):
    return build(
        "youtubeAnalytics",
        "v2",
        credentials=creds(sim, channel, **kw),
        client_options={"api_endpoint": sim.url},
        static_discovery=True,
    )


def no_sleep(request):
    request._sleep = lambda seconds: None  # keep the client's retries, skip its back-off
    return request


def reason(err: HttpError) -> str:
    return err.error_details[0]["reason"]


def raw(sim, path, token=None, data=None):
    req = urllib.request.Request(sim.url + path, data=data)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def access_token(sim, channel) -> str:
    c = creds(sim, channel)
    import urllib3
    from google.auth.transport.urllib3 import Request

    c.refresh(Request(urllib3.PoolManager()))
    return c.token


# -- Data API ------------------------------------------------------------------


def test_paths_token_and_channels(sim):
    ch = sim.world.channels[0]
    yt = youtube(sim, ch)
    mine = yt.channels().list(part="snippet,contentDetails,statistics", mine=True).execute()
    assert mine["kind"] == "youtube#channelListResponse" and mine["pageInfo"]["totalResults"] == 1
    item = mine["items"][0]
    assert item["id"] == ch.id and item["snippet"]["title"] == ch.title
    assert item["contentDetails"]["relatedPlaylists"]["uploads"] == "UU" + ch.id[2:]
    stats = item["statistics"]
    assert all(isinstance(stats[k], str) for k in ("viewCount", "subscriberCount", "videoCount"))
    assert int(stats["videoCount"]) == len(sim.world.uploads(ch.id))
    by_id = yt.channels().list(part="snippet", id=f"{ch.id},{sim.world.channels[2].id}").execute()
    assert [i["id"] for i in by_id["items"]] == [ch.id, sim.world.channels[2].id]
    assert "items" not in yt.channels().list(part="id", id="UCxxxxxxxxxxxxxxxxxxxxxx").execute()
    assert [(c["path"], c["method"]) for c in sim.call_log] == [
        ("/token", "POST"),
        ("/youtube/v3/channels", "GET"),
        ("/youtube/v3/channels", "GET"),
        ("/youtube/v3/channels", "GET"),
    ]
    assert sim.calls == {"token": 1, "channels": 3} and sim.quota_used == 3


def test_playlist_items_paging(sim):
    ch = sim.world.channels[0]
    sim.set_clock(START + timedelta(hours=6))  # the late video is out now
    yt = youtube(sim, ch)
    req = yt.playlistItems().list(
        part="contentDetails,snippet", playlistId=ch.uploads_playlist_id, maxResults=2
    )
    seen, pages = [], 0
    while req is not None:
        page = req.execute()
        pages += 1
        assert page["pageInfo"]["totalResults"] == 5 and len(page["items"]) <= 2
        seen += [i["contentDetails"]["videoId"] for i in page["items"]]
        req = yt.playlistItems().list_next(req, page)
    assert pages == 3 and "nextPageToken" not in page
    assert seen == [v.id for v in sim.world.uploads(ch.id)]
    assert seen[0] == next(v.id for v in sim.world.videos_of(ch.id) if v.published_at > START)
    with pytest.raises(HttpError) as err:
        yt.playlistItems().list(part="contentDetails", playlistId="UUnope").execute()
    assert err.value.status_code == 404 and reason(err.value) == "playlistNotFound"
    with pytest.raises(HttpError) as err:
        yt.playlistItems().list(
            part="contentDetails", playlistId=ch.uploads_playlist_id, maxResults=51
        ).execute()
    assert err.value.status_code == 400


def test_videos_list_shapes(sim):
    w = sim.world
    ch = w.channels[0]
    ids = [v.id for v in w.videos_of(ch.id)]
    resp = (
        youtube(sim, ch)
        .videos()
        .list(part="snippet,contentDetails,statistics,status", id=",".join(ids))
        .execute()
    )
    assert resp["kind"] == "youtube#videoListResponse"
    items = {i["id"]: i for i in resp["items"]}
    assert set(items) == {v.id for v in w.uploads(ch.id)}  # not the unpublished one
    for vid, item in items.items():
        v, counters = w.video(vid), w.counters(vid, START)
        assert item["snippet"]["title"] == v.title
        assert item["snippet"].get("tags", []) == list(v.tags)
        assert item["contentDetails"]["duration"] == v.duration
        assert item["snippet"]["publishedAt"] == v.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        stats = item["statistics"]
        assert stats["viewCount"] == str(counters["views"])
        assert ("likeCount" in stats) == (counters["likes"] is not None)
        assert ("commentCount" in stats) == (counters["comments"] is not None)
    assert any("likeCount" not in i["statistics"] for i in items.values())
    assert any("commentCount" not in i["statistics"] for i in items.values())
    assert any("DROP TABLE" in i["snippet"]["title"] for i in items.values())


def test_videos_list_refuses_more_than_50_ids(sim):
    yt = youtube(sim, sim.world.channels[0])
    with pytest.raises(HttpError) as err:
        yt.videos().list(part="statistics", id=",".join(f"v{i:010d}" for i in range(51))).execute()
    assert err.value.status_code == 400 and reason(err.value) == "invalidParameter"


def test_removed_videos_disappear_as_the_clock_moves(sim):
    gone = next(v for v in sim.world.videos if v.removal == "deleted")
    ch = sim.world.channel(gone.channel_id)
    yt = youtube(sim, ch)

    def listed():
        items = (
            yt.playlistItems()
            .list(part="contentDetails", playlistId=ch.uploads_playlist_id, maxResults=50)
            .execute()["items"]
        )
        return [i["contentDetails"]["videoId"] for i in items]

    assert gone.id in listed()
    sim.set_clock(gone.removed_at)
    assert gone.id not in listed()
    assert yt.videos().list(part="statistics", id=gone.id).execute()["items"] == []


def test_unicode_and_utf8(sim):
    uni = next(v for v in sim.world.videos if "東京" in v.title)
    ch = sim.world.channel(uni.channel_id)
    item = youtube(sim, ch).videos().list(part="snippet", id=uni.id).execute()["items"][0]
    assert item["snippet"]["title"] == uni.title


# -- Analytics API -------------------------------------------------------------


def test_day_report_and_cut_back_end_date(sim):
    w = sim.world
    ch = w.channels[0]
    table = (
        analytics(sim, ch)
        .reports()
        .query(
            ids="channel==MINE",
            startDate="2026-11-01",
            endDate="2026-11-20",
            metrics="views,likes,estimatedRevenue,estimatedAdRevenue",
            dimensions="day",
        )
        .execute()
    )
    assert table["kind"] == "youtubeAnalytics#resultTable"
    assert table["columnHeaders"] == [
        {"name": "day", "columnType": "DIMENSION", "dataType": "STRING"},
        {"name": "views", "columnType": "METRIC", "dataType": "INTEGER"},
        {"name": "likes", "columnType": "METRIC", "dataType": "INTEGER"},
        {"name": "estimatedRevenue", "columnType": "METRIC", "dataType": "FLOAT"},
        {"name": "estimatedAdRevenue", "columnType": "METRIC", "dataType": "FLOAT"},
    ]
    assert table["rows"][-1][0] == "2026-11-17" == w.last_ready_day().isoformat()
    assert len(table["rows"]) == 17
    for day, views, likes, revenue, ad in table["rows"]:
        expected = w.channel_daily(ch.id, date.fromisoformat(day))
        assert (views, likes) == (expected["views"], expected["likes"])
        assert Decimal(str(revenue)) == expected["estimatedRevenue"]
        assert Decimal(str(ad)) == expected["estimatedAdRevenue"]
    assert sim.call_log[-1]["path"] == "/v2/reports"


def test_rows_absent_for_unready_days_until_the_clock_passes(sim):
    ch = sim.world.channels[0]
    ya = analytics(sim, ch)

    def query():
        return (
            ya.reports()
            .query(
                ids=f"channel=={ch.id}",
                startDate="2026-11-18",
                endDate="2026-11-18",
                metrics="views",
                dimensions="day",
            )
            .execute()
        )

    assert "rows" not in query()
    sim.set_clock(datetime(2026, 11, 21, 8, tzinfo=UTC))  # 2026-11-19 00:00 Pacific + 2 days
    assert query()["rows"] == [
        ["2026-11-18", sim.world.channel_daily(ch.id, date(2026, 11, 18))["views"]]
    ]


def test_revenue_json_parses_back_to_the_exact_decimal(sim):
    w = sim.world
    ch = w.channels[0]
    token = access_token(sim, ch)
    params = (
        "ids=channel%3D%3DMINE&startDate=2026-11-16&endDate=2026-11-16&dimensions=video"
        "&metrics=estimatedRevenue,estimatedAdRevenue&filters=video%3D%3D"
        + ",".join(v.id for v in w.videos_of(ch.id))
    )
    status, body = raw(sim, "/v2/reports?" + params, token)
    assert status == 200
    rows = json.loads(body, parse_float=Decimal)["rows"]
    got = {r[0]: (r[1], r[2]) for r in rows}
    for vid, (revenue, ad) in got.items():
        d = w.daily(vid, date(2026, 11, 16))
        assert (revenue, ad) == (d["estimatedRevenue"], d["estimatedAdRevenue"])
    assert (Decimal("2.675"), Decimal("0.125")) in got.values()


def test_200_video_filter_goes_as_post_with_override(sim):
    w = sim.world
    ch = w.channels[0]
    real = [v.id for v in w.videos_of(ch.id)]
    other = [v.id for v in w.videos_of(w.channels[2].id)]
    fillers = [f"x{i:09d}Q" for i in range(200 - len(real) - len(other))]
    ids = real + other + fillers
    table = (
        analytics(sim, ch)
        .reports()
        .query(
            ids="channel==MINE",
            startDate="2026-11-15",
            endDate="2026-11-15",
            metrics="views,estimatedMinutesWatched,estimatedRevenue",
            dimensions="video",
            filters="video==" + ",".join(ids),
        )
        .execute()
    )
    call = sim.call_log[-1]
    assert (call["path"], call["sent_as"], call["method"]) == ("/v2/reports", "POST", "GET")
    expected = [v for v in real if w.has_data(v, date(2026, 11, 15))]
    assert [r[0] for r in table["rows"]] == expected  # other channels' and unknown ids: no row
    for vid, views, minutes, revenue in table["rows"]:
        d = w.daily(vid, date(2026, 11, 15))
        assert (views, minutes, Decimal(str(revenue))) == (
            d["views"],
            d["estimatedMinutesWatched"],
            d["estimatedRevenue"],
        )


def test_report_constraints(sim):
    w = sim.world
    ch = w.channels[0]
    q = analytics(sim, ch).reports().query
    day = {"startDate": "2026-11-15", "endDate": "2026-11-15"}
    errors = {
        "top videos without sort": dict(
            ids="channel==MINE", metrics="views", dimensions="video", maxResults=10, **day
        ),
        "ascending sort": dict(
            ids="channel==MINE",
            metrics="views",
            dimensions="video",
            sort="views",
            maxResults=10,
            **day,
        ),
        "over 200 top videos": dict(
            ids="channel==MINE",
            metrics="views",
            dimensions="video",
            sort="-views",
            maxResults=201,
            **day,
        ),
        "day and video": dict(
            ids="channel==MINE",
            metrics="views",
            dimensions="day,video",
            filters="video==" + w.videos[0].id,
            **day,
        ),
        "over 500 ids": dict(
            ids="channel==MINE",
            metrics="views",
            dimensions="video",
            filters="video==" + ",".join(f"{i:011d}" for i in range(501)),
            **day,
        ),
        "unknown metric": dict(ids="channel==MINE", metrics="viewz", **day),
    }
    for name, params in errors.items():
        with pytest.raises(HttpError) as err:
            q(**params).execute()
        assert err.value.status_code == 400, name
    with pytest.raises(HttpError) as err:
        q(**errors["day and video"]).execute()
    assert "The query is not supported" in err.value.reason
    top = q(
        ids="channel==MINE", metrics="views", dimensions="video", sort="-views", maxResults=3, **day
    ).execute()
    views = [r[1] for r in top["rows"]]
    assert len(views) == 3 and views == sorted(views, reverse=True)
    with pytest.raises(HttpError) as err:
        q(ids=f"channel=={w.channels[2].id}", metrics="views", **day).execute()
    assert err.value.status_code == 403 and reason(err.value) == "forbidden"


def test_unmonetised_channel(sim):
    ch = sim.world.channels[1]
    q = analytics(sim, ch).reports().query
    with pytest.raises(HttpError) as err:
        q(
            ids="channel==MINE",
            startDate="2026-11-15",
            endDate="2026-11-15",
            metrics="views,estimatedRevenue",
        ).execute()
    assert err.value.status_code == 403 and reason(err.value) == "forbidden"
    ok = q(
        ids="channel==MINE", startDate="2026-11-15", endDate="2026-11-15", metrics="views,shares"
    ).execute()
    assert ok["rows"][0][0] == sim.world.channel_daily(ch.id, date(2026, 11, 15))["views"]


def test_revenue_needs_the_monetary_scope(sim):
    ch = sim.world.channels[0]
    ya = analytics(sim, ch, scopes=SCOPES[:2])
    with pytest.raises(HttpError) as err:
        ya.reports().query(
            ids="channel==MINE",
            startDate="2026-11-15",
            endDate="2026-11-15",
            metrics="estimatedRevenue",
        ).execute()
    assert reason(err.value) == "insufficientPermissions"


# -- Errors and faults ---------------------------------------------------------


def test_missing_or_bad_bearer_token_is_401_envelope(sim):
    for token in (None, "ya29.forged"):
        status, body = raw(sim, "/youtube/v3/videos?part=id&id=abc", token)
        error = json.loads(body)["error"]
        assert status == 401 and error["code"] == 401 and error["status"] == "UNAUTHENTICATED"
        assert error["errors"][0]["domain"] == "global"


def test_retries_recover_from_injected_503_and_429(sim):
    ch = sim.world.channels[0]
    yt = youtube(sim, ch)
    yt.channels().list(part="id", mine=True).execute()  # token first
    for status in (503, 429):
        sim.configure_faults(fail_next=2, fail_status=status)
        sim.reset_calls()
        resp = no_sleep(yt.channels().list(part="id", mine=True)).execute(num_retries=3)
        assert resp["items"][0]["id"] == ch.id
        assert sim.calls == {"channels": 3}
    sim.configure_faults(fail_next=1, fail_status=503)
    with pytest.raises(HttpError) as err:
        yt.channels().list(part="id", mine=True).execute()
    assert err.value.status_code == 503 and reason(err.value) == "backendError"
    sim.configure_faults(fail_next=1, fail_status=429)
    with pytest.raises(HttpError) as err:
        analytics(sim, ch).reports().query(
            ids="channel==MINE", startDate="2026-11-15", endDate="2026-11-15", metrics="views"
        ).execute()
    assert err.value.status_code == 429 and reason(err.value) == "rateLimitExceeded"


def test_error_rate_is_seeded():
    def statuses():
        with run_simulator(seed=7, clock=START) as s:
            token = access_token(s, s.world.channels[0])
            s.configure_faults(seed=3, error_rate=0.5)
            return [raw(s, "/youtube/v3/channels?part=id&mine=true", token)[0] for _ in range(30)]

    first = statuses()
    assert first == statuses()
    assert {429, 503, 200} == set(first)


def test_quota_exceeded_after_n_calls_is_not_retried(sim):
    ch = sim.world.channels[0]
    yt = youtube(sim, ch)
    sim.configure_faults(quota_after=2)
    for _ in range(2):
        yt.videos().list(part="id", id=sim.world.videos[0].id).execute()
    with pytest.raises(HttpError) as err:
        no_sleep(yt.videos().list(part="id", id=sim.world.videos[0].id)).execute(num_retries=3)
    detail = err.value.error_details[0]
    assert err.value.status_code == 403
    assert (detail["reason"], detail["domain"]) == ("quotaExceeded", "youtube.quota")
    assert sim.calls["videos"] == 3  # no retry
    # the Analytics API has its own quota
    analytics(sim, ch).reports().query(
        ids="channel==MINE", startDate="2026-11-15", endDate="2026-11-15", metrics="views"
    ).execute()


def test_invalid_grant_raises_refresh_error(sim):
    bad, good = sim.world.channels[0], sim.world.channels[2]
    yt_bad = youtube(sim, bad)
    yt_bad.channels().list(part="id", mine=True).execute()  # holds a live access token
    sim.configure_faults(invalid_grant=[bad.id])
    with pytest.raises(RefreshError) as err:
        youtube(sim, bad).channels().list(part="id", mine=True).execute()
    assert "invalid_grant" in str(err.value)
    with pytest.raises(RefreshError):  # revocation also kills issued access tokens
        yt_bad.channels().list(part="id", mine=True).execute()
    assert youtube(sim, good).channels().list(part="id", mine=True).execute()["items"]
    status, body = raw(
        sim,
        "/token",
        data=f"grant_type=refresh_token&client_id=c&client_secret=s"
        f"&refresh_token={bad.refresh_token}".encode(),
    )
    assert status == 400 and json.loads(body) == {
        "error": "invalid_grant",
        "error_description": "Token has been expired or revoked.",
    }


def test_expired_access_token_is_refreshed_transparently(sim):
    ch = sim.world.channels[0]
    yt = youtube(sim, ch)
    yt.channels().list(part="id", mine=True).execute()
    sim.expire_access_tokens()
    assert yt.channels().list(part="id", mine=True).execute()["items"][0]["id"] == ch.id
    assert sim.calls["token"] == 2


def test_slow_answers(sim):
    yt = youtube(sim, sim.world.channels[0])
    yt.channels().list(part="id", mine=True).execute()
    sim.configure_faults(delay_ms=300)
    t0 = time.monotonic()
    yt.channels().list(part="id", mine=True).execute()
    assert time.monotonic() - t0 >= 0.3


def test_malformed_rows(sim):
    w = sim.world
    ch = w.channels[2]
    vids = [v.id for v in w.videos_of(ch.id) if v.has_data_on(date(2026, 11, 15))]
    assert len(vids) == 5
    day = date(2026, 11, 15)
    q = analytics(sim, ch).reports().query

    def rows():
        return q(
            ids="channel==MINE",
            startDate="2026-11-15",
            endDate="2026-11-15",
            metrics="views,likes",
            dimensions="video",
            filters="video==" + ",".join(vids),
        ).execute()["rows"]

    clean = rows()
    kinds = ["short", "negative", "string", "duplicate", "unknown_video"]
    sim.configure_faults(malformed=[MalformedRow(k, vids[i], day) for i, k in enumerate(kinds)])
    bad = rows()
    by_video = {}
    for r in bad:
        by_video.setdefault(r[0], []).append(r)
    assert by_video[vids[0]] == [clean[0][:-1]]
    assert by_video[vids[1]][0][1] < 0
    assert by_video[vids[2]][0][1] == "n/a"
    assert by_video[vids[3]] == [clean[3], clean[3]]
    assert by_video[UNKNOWN_VIDEO_ID] == [[UNKNOWN_VIDEO_ID, *clean[4][1:]]]
    # another day is untouched
    assert (
        "rows"
        in q(
            ids="channel==MINE",
            startDate="2026-11-14",
            endDate="2026-11-14",
            metrics="views",
            dimensions="video",
            filters="video==" + ",".join(vids),
        ).execute()
    )
    sim.configure_faults(malformed=[], malformed_rate=0.5, seed=1)
    assert rows() == rows() != clean  # keyed on the row: re-runs see the same bad rows


def test_control_endpoints_over_http(sim):
    status, body = raw(
        sim, "/_sim/clock", data=json.dumps({"clock": "2026-11-25T00:00:00Z"}).encode()
    )
    assert status == 200 and json.loads(body)["last_ready_day"] == "2026-11-21"
    status, body = raw(
        sim,
        "/_sim/faults",
        data=json.dumps(
            {
                "fail_next": 1,
                "invalid_grant": [sim.world.channels[1].id],
                "malformed": [{"kind": "short", "day": "2026-11-10"}],
            }
        ).encode(),
    )
    assert status == 200 and sim.faults.fail_next == 1
    assert sim.faults.malformed == (MalformedRow("short", None, date(2026, 11, 10)),)
    status, body = raw(sim, "/_sim/faults", data=b'{"reset": true}')
    assert sim.faults.fail_next == 0 and not sim.faults.invalid_grant
    assert raw(sim, "/_sim/faults", data=b'{"bogus": 1}')[0] == 400
    status, body = raw(sim, "/_sim/calls")
    assert status == 200 and "calls" in json.loads(body)
    world = json.loads(raw(sim, "/_sim/world")[1])
    assert world["channels"][0]["refresh_token"] == sim.world.channels[0].refresh_token


def test_cli_prints_url_and_stops_on_sigterm():
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ytempire_dev.simulator",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--seed",
            "7",
            "--channels",
            "3",
            "--videos-per-channel",
            "5",
            "--clock",
            "2026-11-20T12:00:00Z",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("YOUTUBE_SIMULATOR http://127.0.0.1:")
        url = line.split()[1]
        with urllib.request.urlopen(url + "/_sim/clock") as resp:
            assert json.loads(resp.read())["clock"] == "2026-11-20T12:00:00Z"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
