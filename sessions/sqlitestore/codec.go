package sqlitestore

import (
	"encoding/json"

	"github.com/canter-go/canter/sessions/internal/sqlcodec"
)

// jsonCodec stores the values as one JSON object.
type jsonCodec struct{}

var _ sqlcodec.Codec = jsonCodec{}

func (jsonCodec) Encode(values map[string]json.RawMessage) (string, error) {
	b, err := sqlcodec.AppendObject(make([]byte, 0, 64+32*len(values)), values, "sqlitestore")
	return string(b), err
}

func (jsonCodec) Decode(data []byte) (map[string]json.RawMessage, error) {
	return decodeObject(data)
}
