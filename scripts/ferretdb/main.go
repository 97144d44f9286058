// Command ferretdb-launcher runs FerretDB embedded, with its SQLite backend in a data folder,
// so the project needs no separately installed MongoDB for development and tests.
//
// It prints one line "READY <mongodb-uri>" on stdout once it accepts connections, and stops
// cleanly on SIGTERM or SIGINT.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("data", "data/db", "folder for the SQLite databases")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		fail("bad -data: %v", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		fail("cannot create data folder: %v", err)
	}

	// FerretDB listens on a port of its own; clients reach it through the write gate (writegate.go).
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fail("cannot listen on %s: %v", *listen, err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fail("cannot start FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// Existing databases get the _id lookup index before anyone connects (idindex.go); databases
	// and collections created later get it within a second.
	ix := newIDIndexer(abs, logger)
	ix.pass(ctx)
	go ix.run(ctx)

	done := make(chan struct{})
	go func() {
		_ = f.Run(ctx)
		close(done)
	}()

	// FerretDB's listener is bound inside New, so its address is known here.
	backend, err := url.Parse(f.MongoDBURI())
	if err != nil {
		fail("bad FerretDB address: %v", err)
	}
	gate := &writeGate{backend: backend.Host, logger: logger}
	go gate.serve(ctx, ln)
	fmt.Printf("READY %s\n", (&url.URL{Scheme: "mongodb", Host: ln.Addr().String(), Path: "/"}).String())

	<-done
	logger.Info("stopped")
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb-launcher: "+format+"\n", args...)
	os.Exit(1)
}
