package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
)

// maxBatch bounds how many writes share one transaction.
const maxBatch = 256

// errClosed is returned for writes sent after Close.
var errClosed = errors.New("sqlite store closed")

// A write is one caller's part of a batch. fn runs inside the batch's
// transaction; done receives its result once the batch has committed.
type write struct {
	ctx  context.Context
	fn   func(tx *sql.Tx) error
	done chan error
}

// update runs fn in a write transaction and returns once that transaction
// has committed (or fn failed). Writes that arrive while a commit is in
// progress are grouped into the next transaction, each inside its own
// savepoint so that one caller's failure leaves the others' writes intact.
// A commit costs a few WAL frame writes and lock system calls whatever its
// size, so grouping is what lets concurrent inserts scale; a lone write is
// committed at once and waits for nobody.
func (db *DB) update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	w := write{ctx: ctx, fn: fn, done: make(chan error, 1)}
	db.closeMu.RLock()
	if db.closed {
		db.closeMu.RUnlock()
		return errClosed
	}
	select {
	case db.writes <- w:
		db.closeMu.RUnlock()
	case <-ctx.Done():
		db.closeMu.RUnlock()
		return ctx.Err()
	}
	// Wait for the commit even if ctx ends meanwhile: the caller must not
	// report a failure for a write that is about to become durable.
	return <-w.done
}

// writer is the one goroutine that writes. It runs until db.writes closes.
func (db *DB) writer() {
	defer close(db.writerDone)
	batch := make([]write, 0, maxBatch)
	for w := range db.writes {
		batch = append(batch[:0], w)
		// Let the callers that are ready to run send their writes before
		// the batch closes. Without the yield, the writer is woken by the
		// first send and runs before the rest, and batches stay tiny.
		for len(batch) < maxBatch {
			runtime.Gosched()
			n := len(batch)
			batch = drain(db.writes, batch)
			if len(batch) == n {
				break
			}
		}
		db.commit(batch)
	}
}

// drain appends the writes waiting in ch to batch, up to maxBatch.
func drain(ch <-chan write, batch []write) []write {
	for len(batch) < maxBatch {
		select {
		case w, ok := <-ch:
			if !ok {
				return batch
			}
			batch = append(batch, w)
		default:
			return batch
		}
	}
	return batch
}

// commit runs a batch in one transaction and tells each caller its result.
// Statements run on a background context: cancelling one caller must not
// interrupt, and so roll back, the others' transaction.
func (db *DB) commit(batch []write) {
	ctx := context.Background()
	results := make([]error, len(batch))
	reply := func(commitErr error) {
		for i, w := range batch {
			if commitErr != nil {
				results[i] = commitErr
			}
			w.done <- results[i]
		}
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		reply(fmt.Errorf("begin: %w", err))
		return
	}
	single := len(batch) == 1
	for i, w := range batch {
		if err := w.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		if single {
			results[i] = w.fn(tx)
			continue
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
			tx.Rollback()
			reply(fmt.Errorf("savepoint: %w", err))
			return
		}
		results[i] = w.fn(tx)
		if results[i] != nil {
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO w"); err != nil {
				tx.Rollback()
				reply(fmt.Errorf("rollback to savepoint: %w", err))
				return
			}
		}
		if _, err := tx.ExecContext(ctx, "RELEASE w"); err != nil {
			tx.Rollback()
			reply(fmt.Errorf("release savepoint: %w", err))
			return
		}
	}
	if single && results[0] != nil {
		tx.Rollback()
		reply(nil)
		return
	}
	if err := tx.Commit(); err != nil {
		reply(fmt.Errorf("commit: %w", err))
		return
	}
	reply(nil)
}

// closeWriter stops the writer after the writes already sent have committed.
func (db *DB) closeWriter() {
	db.closeMu.Lock()
	if db.closed {
		db.closeMu.Unlock()
		return
	}
	db.closed = true
	close(db.writes)
	db.closeMu.Unlock()
	<-db.writerDone
}
