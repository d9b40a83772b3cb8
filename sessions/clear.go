package sessions

import (
	"context"
	"errors"
	"fmt"
)

// ClearExpired removes the expired sessions of store: what the clearsessions command does
// (Django's SessionStore.clear_expired). Run it from time to time for stores that do not expire
// sessions by themselves (SQL databases); for the others it does nothing.
func ClearExpired(ctx context.Context, store Store) error {
	if store == nil {
		return errors.New("sessions: ClearExpired needs a store; the session engine is not configured")
	}
	if err := store.DeleteExpired(ctx); err != nil {
		return fmt.Errorf("sessions: clearing expired sessions: %w", err)
	}
	return nil
}
