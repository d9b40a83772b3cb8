module github.com/canter-go/canter

go 1.26.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/quic-go/quic-go v0.65.0
	golang.org/x/crypto v0.59.0
)

require (
	github.com/quic-go/qpack v0.6.0 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
