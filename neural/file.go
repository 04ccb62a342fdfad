package neural

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/linear"
)

// FormatVersion is the version of the model file format this package writes.
const FormatVersion = 1

// magic opens every network file; it differs from the linear models' so
// that neither loads the other's file.
var magic = [8]byte{'F', 'O', 'R', 'E', 'W', 'N', 'N', '1'}

// The file is laid out by linear.Seal; its body is Dim float32 scales,
// Buckets rows of Dim int8 embedding weights, then W1, B1, W2, B2 as
// float32.
//
// Embeddings are most of the weights: quantised to int8 with a scale per
// dimension they take a quarter of float32, and a text's rows are summed
// as integers (see Model.sumPacked).

// MarshalBinary encodes the model. The encoding is deterministic.
func (m *Model) MarshalBinary() ([]byte, error) {
	hdr, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("encode header: %w", err)
	}
	var raw bytes.Buffer
	scale, q := m.quantised()
	binary.Write(&raw, binary.LittleEndian, scale)
	raw.Write(q)
	for _, part := range [][]float32{m.W1, m.B1, m.W2, m.B2} {
		binary.Write(&raw, binary.LittleEndian, part)
	}
	return linear.Seal(magic, FormatVersion, hdr, raw.Bytes())
}

// badModel wraps a decoding failure in forewarn.ErrBadModel.
func badModel(format string, args ...any) error {
	return fmt.Errorf("%w: %s", forewarn.ErrBadModel, fmt.Sprintf(format, args...))
}

// Decode parses a network file.
func Decode(b []byte) (*Model, error) {
	hdr, raw, err := linear.Unseal(b, magic, FormatVersion)
	if err != nil {
		return nil, err
	}
	var m Model
	if err := json.Unmarshal(hdr, &m.Header); err != nil {
		return nil, badModel("header: %v", err)
	}
	if err := m.Features.Validate(); err != nil {
		return nil, badModel("header: %v", err)
	}
	c := m.Config
	if err := c.Validate(m.Features); err != nil {
		return nil, badModel("header: %v", err)
	}
	L, D, H := len(m.Labels), c.Dim, c.Hidden
	if L == 0 {
		return nil, badModel("header: no labels")
	}
	rows := 4*D + int(c.Buckets)*D
	if want := rows + 4*(H*D+H+L*H+L); len(raw) != want {
		return nil, badModel("weights: %d bytes, want %d", len(raw), want)
	}
	rest := raw
	read := func(k int) []float32 {
		out := make([]float32, k)
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(rest[4*i:]))
		}
		rest = rest[4*k:]
		return out
	}
	scale := read(D)
	m.pack(scale, rest[:int(c.Buckets)*D])
	rest = rest[int(c.Buckets)*D:]
	m.W1, m.B1, m.W2, m.B2 = read(H*D), read(H), read(L*H), read(L)
	return &m, nil
}

// Load reads and decodes the network file name from fsys.
func Load(fsys fs.FS, name string) (*Model, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("load network: %w", err)
	}
	m, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("load network %s: %w", name, err)
	}
	return m, nil
}

// quantised returns the embeddings as int8 with a scale per dimension
// (its largest magnitude over 127).
func (m *Model) quantised() (scale []float32, q []byte) {
	D := m.Config.Dim
	if m.q != nil {
		q = make([]byte, 0, int(m.Config.Buckets)*D)
		for _, w := range m.q {
			for j := range 4 {
				q = append(q, byte(int8(int(uint16(w>>(16*j)))-128)))
			}
		}
		return m.scale, q
	}
	scale = make([]float32, D)
	for i, v := range m.Emb {
		scale[i%D] = max(scale[i%D], float32(math.Abs(float64(v))))
	}
	for d := range scale {
		scale[d] /= math.MaxInt8
		if scale[d] == 0 {
			scale[d] = 1
		}
	}
	q = make([]byte, len(m.Emb))
	for i, v := range m.Emb {
		q[i] = byte(int8(math.Round(float64(v / scale[i%D]))))
	}
	return scale, q
}

// pack sets the model's embeddings to the int8 weights q with per
// dimension scales, in the lanes sumPacked adds.
func (m *Model) pack(scale []float32, q []byte) {
	m.scale = scale
	m.q = make([]uint64, len(q)/4)
	for i := range m.q {
		for j := range 4 {
			m.q[i] |= uint64(uint16(int(int8(q[4*i+j]))+128)) << (16 * j)
		}
	}
	m.Emb = nil
}
