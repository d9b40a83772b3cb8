module github.com/canter-go/canter

go 1.26

require github.com/BurntSushi/toml v1.6.0

require github.com/flosch/pongo2/v6 v6.0.0
