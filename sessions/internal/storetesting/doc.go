// Package storetesting holds what the tests of Canter's session stores share beyond the
// public conformance suite (sessions/storetest): a settable clock and the contract that
// drives it, Django's own session backend run as a subprocess, a TCP proxy that cuts a
// store off its server, the skip-or-fail rule for tests that need a service, and the
// benchmark of a session's form flow.
//
// Only tests import it.
package storetesting
