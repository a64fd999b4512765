"""
Runs the unchanged vendor client, smc-python 1.0.31 + smc-python-monitoring 1.5.6
(github.com/Forcepoint/fp-NGFW-SMC-python), against the Forcepoint SMC simulator and asserts what it
gets back. test/simulators/forcepointSmc.smcPython.test.ts replays the same calls in TypeScript.

    # Debian: apt-get install python3-websocket python3-requests python3-packaging python3-tz
    git clone https://github.com/Forcepoint/fp-NGFW-SMC-python /tmp/smcpy
    npx tsx <launcher that starts ForcepointSmcSimulator on a port>   # or npm run simulators
    PYTHONPATH=/tmp/smcpy:/tmp/smcpy/smc-monitoring /usr/bin/python3 \
        test/simulators/vendorClients/forcepointSmc_smc_python.py https://127.0.0.1:18082 <simulator CA PEM>

Over HTTPS the client verifies the simulator's certificate with the CA file given (requests'
`verify=<path>`, websocket-client's CA bundle), as it would a real SMC with a private CA.

Per session mode (cookie, then token) and per API version the simulator offers: API-key login,
current user, element search, log schema, status socket, Notification with two subscriptions,
stored / table / live log queries, filter expressions (TranslatedFilter) and a Filter element
(add_existing_filter), the seven session queries, each query's fetch_as_element (BlockListQuery and
NeighborQuery too), block-list add and delete, relogin
after an expired session, administrator login (lms_login) and logout. Exits non-zero on the first
failed check.
"""
import json
import sys
import threading
import time

import requests
import websocket

from smc import session
from smc.administration.filter import Filter
from smc.core.engine import Engine
from smc.elements.network import Host
from smc_monitoring.models.constants import Alerts, LogField
from smc_monitoring.models.filters import DefinedFilter, InFilter, NotFilter, QueryFilter
from smc_monitoring.models.formatters import CSVFormat, RawDictFormat, TableFormat
from smc_monitoring.models.values import ConstantValue, FieldValue, IPValue, NumberValue, ServiceValue, TranslatedValue
from smc_monitoring.monitors.alerts import ActiveAlertQuery
from smc_monitoring.monitors.blacklist import BlacklistQuery
from smc_monitoring.monitors.block_list import BlockListQuery
from smc_monitoring.monitors.connections import ConnectionQuery
from smc_monitoring.monitors.logs import LogQuery
from smc_monitoring.monitors.neighbors import NeighborQuery
from smc_monitoring.monitors.routes import RoutingQuery
from smc_monitoring.monitors.sslvpn import SSLVPNQuery
from smc_monitoring.monitors.users import UserQuery
from smc_monitoring.monitors.vpns import VPNSAQuery
from smc_monitoring.pubsub.subscribers import Event, Notification

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:18082"
VERIFY = sys.argv[2] if len(sys.argv) > 2 else True
API_KEY = "SmcSimKey0123456789abcde"
ADMIN, ADMIN_PASSWORD = "n8n-admin", "SmcSimAdminPass1"
ENGINE = "Plano FW"
checks = 0


def check(condition, what):
    global checks
    if not condition:
        raise AssertionError(what)
    checks += 1


def control(method, path, body=None):
    response = requests.request(method, URL + "/__sim" + path, json=body, timeout=5, verify=VERIFY)
    response.raise_for_status()
    return response.json()


def when(condition, then):
    """Runs `then` in the background once the simulator state satisfies `condition` (bounded)."""

    def run():
        deadline = time.time() + 10
        while time.time() < deadline:
            if condition(control("GET", "/smc/state")):
                then()
                return
            time.sleep(0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def login_and_look_around(version, mode):
    session.login(url=URL, api_key=API_KEY, api_version=version, timeout=10, verify=VERIFY)
    check(session.api_version == version, "asked version is used")
    if mode == "cookie":
        check(session.session_id and session.session_id.startswith("JSESSIONID="), "cookie session")
    else:
        check(session.session_id is None and session._token, "token session")
    check(session.name == "n8n", "current user is the API client, got %r" % session.name)
    check(Host("DNS Server 1").address == "10.0.0.53", "Host() found by exact name")
    check(Engine(ENGINE).href.endswith("/%s/elements/single_fw/1649" % version), "Engine() found")
    check(len(list(Engine.objects.all())) == 3, "engine_clusters lists three engines")
    if mode == "cookie":
        schema = session._get_log_schema()
        check(schema and "query" in schema["properties"], "log schema")


def status_socket():
    options = {"cookie": session.session_id} if session.session_id else {"subprotocols": ["access_token", session._token]}
    if URL.startswith("https") and isinstance(VERIFY, str):
        options["sslopt"] = {"ca_certs": VERIFY}
    ws = websocket.create_connection(session.web_socket_url + "/status/socket", suppress_origin=True, timeout=5, **options)
    try:
        ws.send(json.dumps({"context": "engine_clusters"}))
        ack = json.loads(ws.recv())
        check(ack.get("success") and "subscription_id" in ack, "status subscription acknowledged")
        statuses = [json.loads(ws.recv()) for _ in range(3)]
        check(all("status" in message for message in statuses), "one status per engine")
    finally:
        ws.close()


def notification(version):
    note = Notification("host", query_timeout=10)
    note.subscribe("network,host")

    def change():
        control("POST", "/smc/element-change", {"entryPoint": "host", "action": "create", "name": "py-host-" + version})
        control("POST", "/smc/element-change", {"entryPoint": "network", "action": "create", "name": "py-net-" + version})

    when(lambda state: state["subscriptions"] >= 2, change)
    events = []
    for event in note.notify(as_type=Event):
        events.append(event)
        if len(events) == 3:
            break
    kinds = sorted((event._element.split("/elements/")[1].split("/")[0], event.action) for event in events)
    check(kinds == [("host", "create"), ("host", "create"), ("network", "create")], "events %r" % kinds)
    check(len({event.subscription_id for event in events}) == 2, "two subscriptions")


def log_queries():
    stored = LogQuery(fetch_size=50)
    stored.format.timezone("Europe/Helsinki")
    stored.add_and_filter([DefinedFilter(FieldValue(LogField.IPSAPPID)), NotFilter([InFilter(FieldValue(LogField.SERVICE), [ServiceValue("UDP/53")])])])
    batches = list(stored.fetch_raw())
    records = [record for batch in batches for record in batch]
    check(0 < len(records) <= 50, "stored query returns at most fetch_size (%d)" % len(records))
    check(all(record.get("Network Application") != "DNS" for record in records), "not filter applied")

    table = LogQuery(fetch_size=5)
    table.format.field_ids([LogField.TIMESTAMP, LogField.SRC, LogField.DST, LogField.ACTION])
    rendered = list(table.fetch_batch(TableFormat))
    check(rendered and "Src Addr" in rendered[0], "table header from field lookup")

    live = LogQuery()
    when(lambda state: state["fetches"]["current"] >= 1, lambda: control("POST", "/smc/logs", {"count": 3}))
    for batch in live.fetch_live(RawDictFormat):
        check(len(batch) == 3, "live query streams new records")
        break


def filter_expressions():
    def stored(configure):
        query = LogQuery(fetch_size=1000)
        configure(query)
        return [record["Data Identifier"] for batch in query.fetch_raw() for record in batch]

    by_port = stored(lambda query: query.add_in_filter(FieldValue(LogField.DPORT), [NumberValue(22, 25)]))
    check(by_port, "ports 22/25 in the stored logs")
    def translated(query):
        # as examples/monitoring/logs.py builds it
        query_filter = QueryFilter("translated")
        query_filter.update_filter(TranslatedValue("$Dport == 22 OR $Dport == 25").value)
        query.update_filter(query_filter)

    check(stored(translated) == by_port, "translated expression selects what the in filter does")
    check(stored(lambda query: query.add_translated_filter().within_ipv4_network("$Dst", ["10.0.0.0/16"]))
          == stored(lambda query: query.add_in_filter(FieldValue(LogField.DST), [IPValue("10.0.0.0/16")])),
          "within_ipv4_network")
    check(stored(lambda query: query.add_translated_filter().within_ipv4_range("$Src", ["10.0.0.0-10.0.7.255"]))
          == stored(lambda query: query.add_in_filter(FieldValue(LogField.SRC), [IPValue("10.0.0.0-10.0.7.255")])),
          "within_ipv4_range")
    facility = LogQuery(fetch_size=10)
    facility.add_existing_filter(Filter("Inspection and Packet Filter Facility"))
    records = [record for batch in facility.fetch_raw() for record in batch]
    check(len(records) == 10 and all(record["Facility"] in ("Inspection", "Packet Filtering") for record in records), "Filter element")


def session_queries():
    alerts = ActiveAlertQuery("Shared Domain")
    alerts.add_in_filter(FieldValue(LogField.ALERTSEVERITY), [ConstantValue(Alerts.HIGH, Alerts.CRITICAL)])
    queries = [
        ConnectionQuery(ENGINE),
        BlacklistQuery(ENGINE),
        RoutingQuery(ENGINE),
        UserQuery(ENGINE),
        SSLVPNQuery(ENGINE),
        VPNSAQuery(ENGINE),
        alerts,
    ]
    for query in queries:
        batches = list(query.fetch_batch(RawDictFormat, query_timeout=10))
        check(batches and batches[0], "%s returns records" % query.request["query"]["definition"])
    csv = list(ConnectionQuery(ENGINE).fetch_batch(CSVFormat, query_timeout=10))
    check(csv and csv[0].startswith("Creation Time,"), "connections as CSV")
    users = list(UserQuery(ENGINE).fetch_as_element(query_timeout=10, max_recv=1))
    check(users and users[0].first_fetch, "users as elements")
    for query in (ConnectionQuery(ENGINE), RoutingQuery(ENGINE), SSLVPNQuery(ENGINE), VPNSAQuery(ENGINE),
                  ActiveAlertQuery("Shared Domain"), BlockListQuery(ENGINE), NeighborQuery(ENGINE)):
        elements = list(query.fetch_as_element(query_timeout=10, max_recv=1))
        # each element keeps the entry in its one attribute; read it there: Connection.first_fetch
        # reads self.cnx where __init__ sets self.cxn (AttributeError in 1.5.6), and Alert has none
        (entry,) = vars(elements[0]).values() if elements else ({},)
        check(entry.get("first_fetch") is True, "%s as elements" % type(query).__name__)
    neighbor = next(NeighborQuery(ENGINE).fetch_as_element(query_timeout=10, max_recv=1))
    check(neighbor.node_id == "Plano FW node 1" and neighbor.neighbor_state, "neighbor fields by id")


def block_list(version):
    engine = Engine(ENGINE)
    if int(version.split(".")[0]) >= 7:
        engine.block_list("203.0.113.77/32", "10.0.0.5/32", duration=600)
    else:
        engine.blacklist("203.0.113.77/32", "10.0.0.5/32", duration=600)
    query = BlacklistQuery(ENGINE)
    query.add_in_filter(FieldValue(LogField.BLACKLISTENTRYSOURCEIP), [IPValue("203.0.113.77")])
    entries = list(query.fetch_as_element(query_timeout=10, max_recv=1))
    check(len(entries) == 1, "added entry found")
    check(entries[0].source == "203.0.113.77/32" and entries[0].destination == "10.0.0.5/32", "prefix lengths %s" % entries[0].source)
    entries[0].delete()
    check(list(query.fetch_as_element(query_timeout=2, max_recv=1)) == [], "entry deleted")


def relogin_after_expiry():
    control("POST", "/smc/expire-sessions")
    check(Host("Mail Relay").address == "10.0.1.25", "relogin on 401")


def administrator_login(version):
    session.login(url=URL, login=ADMIN, pwd=ADMIN_PASSWORD, api_version=version, timeout=10, verify=VERIFY)
    check(session.name == ADMIN, "lms_login current user")
    check(Host("Jump Host").address == "10.0.5.22", "administrator session works")
    session.logout()


def main():
    versions = [entry["rel"] for entry in requests.get(URL + "/api", timeout=5, verify=VERIFY).json()["version"]]
    for mode in ("cookie", "token"):
        control("POST", "/smc/session-tracking", {"mode": mode})
        for version in versions:
            started = time.time()
            login_and_look_around(version, mode)
            status_socket()
            notification(version)
            log_queries()
            filter_expressions()
            session_queries()
            block_list(version)
            relogin_after_expiry()
            session.logout()
            check(control("GET", "/smc/state")["sessions"] == 0, "logout ends the session")
            administrator_login(version)
            check(control("GET", "/smc/state")["sessions"] == 0, "administrator logout ends the session")
            print("%-6s %-5s ok in %.1f s" % (mode, version, time.time() - started), flush=True)
    control("POST", "/smc/session-tracking", {"mode": "cookie"})
    print("smc-python against the simulator: %d checks passed" % checks)


if __name__ == "__main__":
    main()
