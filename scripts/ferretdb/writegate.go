package main

// The write gate: FerretDB 1.24 carries out an update (or findAndModify, or an upsert) as a read
// of the matching documents followed by a separate write of each whole document, so two updates
// of one document that run at once both read the old version and the second write loses the
// first's change (measured: 40 concurrent $set of distinct fields of one document kept 6). MongoDB
// applies each single-document update atomically, and the API relies on that: per-shop indexes,
// timelines, counters.
//
// The launcher therefore listens itself and hands each connection to FerretDB through a gate that
// lets one write command at a time reach it: a write waits for the previous write's answer before
// it is passed on. Reads pass at once. Every API instance talks to this one process, so the gate
// holds across instances. SQLite lets one writer at a time write anyway; the gate adds the read of
// an update to that turn.

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
)

const (
	opQuery      = 2004
	opMsg        = 2013
	msgHeaderLen = 16
	// An OP_MSG flag: the sender expects no answer to this message.
	flagMoreToCome = 1 << 1
	// MongoDB's largest message (48 MB); anything longer is a broken stream.
	maxMessageLen = 48 * 1000 * 1000
)

// writeCommands are the commands that change documents or collections.
var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findAndModify": true,
	"create": true, "createIndexes": true, "drop": true, "dropIndexes": true,
	"dropDatabase": true, "renameCollection": true,
}

type writeGate struct {
	backend string
	logger  *slog.Logger
	turn    sync.Mutex
}

// serve accepts connections on ln until ctx ends, relaying each to the backend through the gate.
func (g *writeGate) serve(ctx context.Context, ln net.Listener) {
	go func() {
		<-ctx.Done()
		_ = ln.Close()
	}()
	for {
		client, err := ln.Accept()
		if err != nil {
			if ctx.Err() == nil {
				g.logger.Error("write gate: accept", "err", err)
			}
			return
		}
		go g.relay(client)
	}
}

// message is one wire-protocol message: its header and body as read.
type message struct {
	raw        []byte
	requestID  int32
	responseTo int32
}

func readMessage(r io.Reader) (message, error) {
	header := make([]byte, msgHeaderLen)
	if _, err := io.ReadFull(r, header); err != nil {
		return message{}, err
	}
	length := int(int32(binary.LittleEndian.Uint32(header[0:4])))
	if length < msgHeaderLen || length > maxMessageLen {
		return message{}, errors.New("bad message length")
	}
	raw := make([]byte, length)
	copy(raw, header)
	if _, err := io.ReadFull(r, raw[msgHeaderLen:]); err != nil {
		return message{}, err
	}
	return message{
		raw:        raw,
		requestID:  int32(binary.LittleEndian.Uint32(header[4:8])),
		responseTo: int32(binary.LittleEndian.Uint32(header[8:12])),
	}, nil
}

// commandOf names an OP_MSG's command (the first key of its body document) and whether an answer
// will come; any other message has no command here.
func commandOf(raw []byte) (name string, answered bool) {
	if int32(binary.LittleEndian.Uint32(raw[12:16])) != opMsg || len(raw) < msgHeaderLen+5 {
		return "", true
	}
	flags := binary.LittleEndian.Uint32(raw[16:20])
	answered = flags&flagMoreToCome == 0
	for at := msgHeaderLen + 4; at < len(raw); {
		kind := raw[at]
		at++
		if at+4 > len(raw) {
			return "", answered
		}
		size := int(int32(binary.LittleEndian.Uint32(raw[at : at+4])))
		if size < 5 || at+size > len(raw) {
			return "", answered
		}
		if kind == 0 {
			// The body: int32 size, then the first element: type byte, name (a C string).
			doc := raw[at : at+size]
			if len(doc) < 6 || doc[4] == 0 {
				return "", answered
			}
			for end := 5; end < len(doc); end++ {
				if doc[end] == 0 {
					return string(doc[5:end]), answered
				}
			}
			return "", answered
		}
		at += size // a document sequence (kind 1)
	}
	return "", answered
}

// relay copies one client connection to a new backend connection, holding the gate from a write
// command's arrival until its answer has been read from the backend.
func (g *writeGate) relay(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", g.backend)
	if err != nil {
		g.logger.Error("write gate: cannot reach FerretDB", "err", err)
		return
	}
	defer server.Close()

	closed := make(chan struct{})
	var mu sync.Mutex
	var waitingFor int32
	var waiting chan struct{}

	// Backend to client: every message goes back; the answer to the gated write ends its turn.
	go func() {
		defer close(closed)
		defer client.Close()
		for {
			m, err := readMessage(server)
			if err != nil {
				return
			}
			if _, err := client.Write(m.raw); err != nil {
				return
			}
			mu.Lock()
			if waiting != nil && m.responseTo == waitingFor {
				close(waiting)
				waiting = nil
			}
			mu.Unlock()
		}
	}()

	for {
		m, err := readMessage(client)
		if err != nil {
			return
		}
		name, answered := commandOf(m.raw)
		if !writeCommands[name] {
			if _, err := server.Write(m.raw); err != nil {
				return
			}
			continue
		}
		g.turn.Lock()
		done := make(chan struct{})
		if answered {
			mu.Lock()
			waitingFor, waiting = m.requestID, done
			mu.Unlock()
		} else {
			close(done)
		}
		_, err = server.Write(m.raw)
		if err == nil {
			select {
			case <-done:
			case <-closed:
				err = io.EOF
			}
		}
		g.turn.Unlock()
		if err != nil {
			return
		}
	}
}
