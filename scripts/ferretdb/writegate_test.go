package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// concurrentUpdates runs n updates of one document at once — each $set of its own field, then
// each a findAndModify $inc of one counter — and returns how many fields and increments survived.
func concurrentUpdates(t *testing.T, ctx context.Context, coll *mongo.Collection, n int) (fields, count int) {
	t.Helper()
	if _, err := coll.InsertOne(ctx, bson.M{"_id": "doc", "items": bson.M{}, "n": 0}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := coll.UpdateOne(ctx, bson.M{"_id": "doc"}, bson.M{"$set": bson.M{"items.k" + string(rune('A'+i%26)) + string(rune('a'+i/26)): i}})
			errs <- err
		}(i)
	}
	wg.Wait()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- coll.FindOneAndUpdate(ctx, bson.M{"_id": "doc"}, bson.M{"$inc": bson.M{"n": 1}}).Err()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var doc struct {
		Items map[string]int `bson:"items"`
		N     int            `bson:"n"`
	}
	if err := coll.FindOne(ctx, bson.M{"_id": "doc"}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return len(doc.Items), doc.N
}

// When many updates of one document arrive at once through the gate, then none is lost (FerretDB
// on its own loses most of them: its update reads, then writes the whole document).
func TestWriteGateKeepsConcurrentUpdates(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, direct, uri := startFerretDB(t, t.TempDir(), logger)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	backend, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	go (&writeGate{backend: backend.Host, logger: logger}).serve(ctx, ln)
	gated, err := mongo.Connect(ctx, options.Client().ApplyURI("mongodb://"+ln.Addr().String()+"/").SetMaxPoolSize(100))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gated.Disconnect(context.Background()) })

	const n = 60
	lostFields, lostCount := concurrentUpdates(t, ctx, direct.Database("gate").Collection("direct"), n)
	t.Logf("without the gate: %d of %d fields and %d of %d increments kept", lostFields, n, lostCount, n)

	fields, count := concurrentUpdates(t, ctx, gated.Database("gate").Collection("gated"), n)
	if fields != n || count != n {
		t.Fatalf("through the gate: %d of %d fields and %d of %d increments kept", fields, n, count, n)
	}
	// Reads and writes still work side by side through the gate.
	if c, err := gated.Database("gate").Collection("direct").CountDocuments(ctx, bson.M{}); err != nil || c != 1 {
		t.Fatalf("count through the gate: %d, %v", c, err)
	}
}
