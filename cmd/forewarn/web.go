package main

import nethttp "net/http"

// webHandler returns the handler of the web pages, or nil until they are
// built in, in which case their paths answer with a JSON 404.
func webHandler() nethttp.Handler { return nil }
