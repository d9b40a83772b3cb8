module github.com/canter-go/canter

go 1.26
