// PostgresRunClaims: opens the PostgreSQL implementation of scheduling::RunClaims (several
// daemons on one PostgreSQL store, issue 12). It keeps its own connection to the store's
// database and schema (so heartbeats never wait behind a page load on the store's connection) and
// creates the tables sfsync_daemons (one row per daemon: id, host, pid, start, last heartbeat)
// and sfsync_claims (one row per claimed slot or run-now: daemon, lease, final status, execution
// id) when missing. Claims are decided in one transaction under a transaction-level advisory lock
// (INSERT ... ON CONFLICT DO NOTHING on the slot key); leases use the server's clock, so the
// daemons' clocks need not agree. A lost connection is opened again at the next call. The claims
// connection gives up on a statement, lock wait or idle transaction after a quarter of the lease
// (at least 1 s), so a stalled claim never holds up the heartbeat past a lease. A daemon's own open
// claims do not make its slots skipped (its Scheduler keeps its own runs apart).
//
// Thread-safety: the returned object is thread-safe (one mutex over its connection).
#pragma once

#include "sfsync/core/Result.h"
#include "sfsync/scheduling/RunClaims.h"
#include "sfsync/store/Store.h"

namespace sfsync::store {

// `leaseSeconds`: how long a claim stays with a daemon that stopped renewing it (2..3600).
Result<scheduling::RunClaimsPtr> openPostgresRunClaims(const PostgresSettings& settings,
                                                       int leaseSeconds);

}  // namespace sfsync::store
