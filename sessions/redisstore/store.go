package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/canter-go/canter/sessions"
)

// DefaultPrefix is the prefix of the Redis keys of sessions when Config.Prefix is empty.
const DefaultPrefix = "canter:session:"

// Config holds the settings of a Store.
type Config struct {
	// Prefix is put before each session key to make its Redis key, so that sessions do not
	// collide with other data in the same database. Empty means DefaultPrefix.
	Prefix string
}

// Store keeps each session as a Redis hash: one field per session key, holding its JSON
// value, plus a field for the expiry; Redis removes the hash when it expires. It implements
// sessions.Store and is safe for concurrent use by any number of processes.
type Store struct {
	client redis.UniversalClient
	own    bool
	addr   string
	prefix string
}

var _ sessions.Store = (*Store)(nil)

// expiryField is the hash field that holds the expiry in Unix milliseconds. It also keeps the
// hash of an empty session in existence. A session key that starts with a NUL byte is stored
// with one more NUL in front, so no session key can take this field.
const expiryField = "\x00expiry"

// field returns the hash field of a session key.
func field(key string) string {
	if strings.HasPrefix(key, "\x00") {
		return "\x00" + key
	}
	return key
}

// Open returns a Store with its own client for the Redis server at url, such as
// "redis://127.0.0.1:6379/0", "redis://:password@host:6379/2" or "rediss://…" for TLS. It
// does not connect: the first operation does, so the program starts while Redis is down.
// Close closes the client.
func Open(url string, cfg Config) (*Store, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		// The message may quote the URL, password included: say only what is wrong.
		return nil, fmt.Errorf("redisstore: the Redis address is not a valid redis:// or rediss:// URL: %s", urlReason(err, url))
	}
	s := New(redis.NewClient(opts), cfg)
	s.own = true
	return s, nil
}

func urlReason(err error, url string) string {
	msg := err.Error()
	if strings.Contains(msg, url) || strings.Contains(url, "@") {
		return "check its scheme, host, port and database number"
	}
	return msg
}

// New returns a Store that uses client: a *redis.Client, a *redis.ClusterClient (all the keys
// of one session are one Redis key, so each operation stays on one node) or a *redis.Ring.
// Close leaves the client open.
func New(client redis.UniversalClient, cfg Config) *Store {
	s := &Store{client: client, prefix: cfg.Prefix}
	if s.prefix == "" {
		s.prefix = DefaultPrefix
	}
	switch c := client.(type) {
	case *redis.Client:
		s.addr = c.Options().Addr
	case *redis.ClusterClient:
		s.addr = strings.Join(c.Options().Addrs, ",")
	case *redis.Ring:
		s.addr = strings.Join(slices.Sorted(maps.Values(c.Options().Addrs)), ",")
	default:
		s.addr = "redis"
	}
	return s
}

// Close closes the client if Open made it.
func (s *Store) Close() error {
	if s.own {
		return s.client.Close()
	}
	return nil
}

// Load returns the session stored under key, or sessions.ErrNotFound.
func (s *Store) Load(ctx context.Context, key string) (sessions.Record, error) {
	fields, err := s.client.HGetAll(ctx, s.prefix+key).Result()
	if err != nil {
		return sessions.Record{}, s.fail("load", err)
	}
	rec, err := record(fields)
	if err != nil {
		return sessions.Record{}, s.fail("load", err)
	}
	if rec.Values == nil {
		return sessions.Record{}, sessions.ErrNotFound // none, or not a session of ours
	}
	return rec, nil
}

type errBadExpiry string

func (e errBadExpiry) Error() string {
	return "the expiry field of the session's hash holds " + strconv.Quote(string(e)) + ", not a number"
}

// createScript stores a new session unless the key exists.
// KEYS[1] the Redis key; ARGV[1] the expiry (Unix ms); ARGV[2…] field, value pairs.
var createScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i+1]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
`)

// updateScript applies a request's changes to an existing session.
// KEYS[1] the Redis key; ARGV[1] the expiry (Unix ms); ARGV[2] "1" to clear; ARGV[3] the
// number n of deleted fields; ARGV[4…3+n] those fields; then field, value pairs to set (the
// expiry field among them).
var updateScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[2] == '1' then redis.call('DEL', KEYS[1]) end
local n = tonumber(ARGV[3])
for i = 4, 3 + n do redis.call('HDEL', KEYS[1], ARGV[i]) end
for i = 4 + n, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i+1]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
`)

// Create stores a new session, or returns sessions.ErrExists when the key is taken.
func (s *Store) Create(ctx context.Context, key string, rec sessions.Record) error {
	args := make([]any, 0, 3+2*len(rec.Values))
	expiry := strconv.FormatInt(rec.Expiry.UnixMilli(), 10)
	args = append(args, expiry, expiryField, expiry)
	args, err := appendPairs(args, rec.Values)
	if err != nil {
		return err
	}
	created, err := createScript.Run(ctx, s.client, []string{s.prefix + key}, args...).Int()
	if err != nil {
		return s.fail("create", err)
	}
	if created == 0 {
		return sessions.ErrExists
	}
	return nil
}

// Update applies ch to the stored session in one Lua script, which Redis runs atomically, so
// concurrent updates of the session from any number of processes each keep their change. It
// returns sessions.ErrNotFound when the session was deleted or has expired.
func (s *Store) Update(ctx context.Context, key string, ch sessions.Changes) error {
	del := ch.Delete
	if ch.Clear {
		del = nil // the clear removes them all
	}
	args := make([]any, 0, 5+len(del)+2*len(ch.Set))
	expiry := strconv.FormatInt(ch.Expiry.UnixMilli(), 10)
	clearFlag := "0"
	if ch.Clear {
		clearFlag = "1"
	}
	args = append(args, expiry, clearFlag, len(del))
	for _, k := range del {
		args = append(args, field(k))
	}
	args = append(args, expiryField, expiry)
	args, err := appendPairs(args, ch.Set)
	if err != nil {
		return err
	}
	updated, err := updateScript.Run(ctx, s.client, []string{s.prefix + key}, args...).Int()
	if err != nil {
		return s.fail("update", err)
	}
	if updated == 0 {
		return sessions.ErrNotFound
	}
	return nil
}

// appendPairs appends the field and value of each session key to args.
func appendPairs(args []any, values map[string]json.RawMessage) ([]any, error) {
	for k, v := range values {
		if !json.Valid(v) {
			return nil, fmt.Errorf("redisstore: the value of session key %q is not valid JSON: %q", k, v)
		}
		args = append(args, field(k), string(v))
	}
	return args, nil
}

// Delete removes the session stored under key, if any.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.client.Del(ctx, s.prefix+key).Err(); err != nil {
		return s.fail("delete", err)
	}
	return nil
}

// DeleteExpired does nothing: Redis removes expired sessions by itself.
func (s *Store) DeleteExpired(context.Context) error { return nil }

func (s *Store) fail(op string, err error) error {
	if errors.Is(err, redis.ErrClosed) {
		err = fmt.Errorf("%w (the store was closed)", err)
	}
	return &sessions.StoreError{Store: "redis", Addr: s.addr, Op: op, Err: err}
}
