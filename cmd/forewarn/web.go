package main

import (
	nethttp "net/http"

	"github.com/forewarn/forewarn/web"
)

// webHandler returns the handler of the web pages that serve mounts beside
// the API.
func webHandler() nethttp.Handler { return web.Handler() }
