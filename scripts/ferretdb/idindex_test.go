package main

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// syncBuffer collects FerretDB's debug log, which includes every SQL statement it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// When a collection is read, updated and deleted by _id, then every statement FerretDB runs for
// it is served by the lookup index the launcher adds (and, without that index, by a table scan).
func TestIDLookupsUseTheIndex(t *testing.T) {
	dir := t.TempDir()
	var log syncBuffer
	logger := slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, client, _ := startFerretDB(t, dir, logger)
	coll := client.Database("probe").Collection("records")
	oid := primitive.NewObjectID()
	if _, err := coll.InsertMany(ctx, []any{
		bson.M{"_id": oid, "shop": "a", "n": 1},
		bson.M{"_id": "by-name", "shop": "b", "n": 2},
	}); err != nil {
		t.Fatal(err)
	}

	ix := newIDIndexer(dir, logger)
	ix.pass(ctx)
	file := filepath.Join(dir, "probe.sqlite")
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var table string
	if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = 'records'`).Scan(&table); err != nil {
		t.Fatal(err)
	}

	// What FerretDB runs for a lookup, an update and a delete by _id (ObjectId and string ids).
	start := len(log.String())
	if err := coll.FindOne(ctx, bson.M{"_id": oid}).Err(); err != nil {
		t.Fatal(err)
	}
	if err := coll.FindOne(ctx, bson.M{"_id": "by-name"}).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := coll.UpdateOne(ctx, bson.M{"_id": oid}, bson.M{"$set": bson.M{"n": 3}}); err != nil {
		t.Fatal(err)
	}
	if _, err := coll.DeleteOne(ctx, bson.M{"_id": "by-name"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	statements := idStatements(log.String()[start:], table)
	if len(statements) < 3 {
		t.Fatalf("expected FerretDB's statements by _id in its debug log, found %d:\n%s", len(statements), log.String()[start:])
	}
	for _, q := range statements {
		plan := queryPlan(t, db, q)
		if !strings.Contains(plan, table+idIndexSuffix) {
			t.Errorf("not served by the lookup index:\n  %s\n  plan: %s", q, plan)
		}
	}

	// The premise: FerretDB's own _id index does not serve its own lookup.
	rw, err := sql.Open("sqlite", "file:"+file+"?mode=rw")
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if _, err := rw.Exec(`DROP INDEX ` + quoteIdent(table+idIndexSuffix)); err != nil {
		t.Fatal(err)
	}
	if plan := queryPlan(t, rw, statements[0]); !strings.Contains(plan, "SCAN") {
		t.Errorf("without the lookup index FerretDB's lookup should scan; plan: %s", plan)
	}
	// The next pass puts it back.
	ix.seen = map[string]fileState{}
	ix.pass(ctx)
	fresh, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if plan := queryPlan(t, fresh, statements[0]); !strings.Contains(plan, table+idIndexSuffix) {
		t.Errorf("the next pass did not restore the index; plan: %s", plan)
	}
}

// When a collection is created after the launcher started, then it gets the index within seconds.
func TestNewCollectionsGetTheIndex(t *testing.T) {
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	ctx, client, _ := startFerretDB(t, dir, logger)
	go newIDIndexer(dir, logger).run(ctx)
	if _, err := client.Database("later").Collection("things").InsertOne(ctx, bson.M{"x": 1}); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "later.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE '%' || ?`, idIndexSuffix).Scan(&n)
		if err == nil && n == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no lookup index 5 s after the collection was created (n=%d, err=%v)", n, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startFerretDB runs FerretDB on a data folder for the test's duration and connects a client.
func startFerretDB(t *testing.T, dir string, logger *slog.Logger) (context.Context, *mongo.Client, string) {
	t.Helper()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = f.Run(ctx) }()
	client, err := mongo.Connect(ctx, options.Client().ApplyURI(f.MongoDBURI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return ctx, client, f.MongoDBURI()
}

var statementLine = regexp.MustCompile(`msg=">>> ((?:[^"\\]|\\.)*)"`)

// idStatements extracts, from FerretDB's debug log, the statements on table that filter by _id.
func idStatements(log, table string) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		m := statementLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		q := strings.ReplaceAll(m[1], `\"`, `"`)
		if strings.Contains(q, table) && strings.Contains(q, "$._id") {
			out = append(out, q)
		}
	}
	return out
}

// queryPlan is SQLite's plan for q, its parameters bound to placeholder values.
func queryPlan(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	n := strings.Count(q, "?")
	args := make([]any, n)
	for i := range args {
		args[i] = "x"
	}
	rows, err := db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("EXPLAIN QUERY PLAN %s: %v", q, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}
