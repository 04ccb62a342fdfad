package linear

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"

	"github.com/forewarn/forewarn"
)

// FormatVersion is the version of the model file format this package writes.
const FormatVersion = 1

// magic opens every model file.
var magic = [8]byte{'F', 'O', 'R', 'E', 'W', 'A', 'R', 'N'}

// The file is:
//
//	magic [8]byte
//	version uint32
//	header length uint32, header JSON
//	body length uint32, body: DEFLATE of (per label: scale float32;
//	  bias float32; then Buckets*Labels int16 weights, bucket-major)
//	SHA-256 of everything before it
//
// Weights are quantised to int16 with a per-label scale: a tenth of the size
// of float32 after compression, and no measurable change in accuracy.

// MarshalBinary encodes the model. The encoding is deterministic.
func (m *Model) MarshalBinary() ([]byte, error) {
	hdr, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("encode header: %w", err)
	}
	L := len(m.Labels)
	scales := make([]float32, L)
	for i, w := range m.W {
		if a := float32(math.Abs(float64(w))); a > scales[i%L] {
			scales[i%L] = a
		}
	}
	for l := range scales {
		scales[l] /= math.MaxInt16
		if scales[l] == 0 {
			scales[l] = 1
		}
	}
	var raw bytes.Buffer
	raw.Grow(8*L + 2*len(m.W))
	for l := range L {
		binary.Write(&raw, binary.LittleEndian, scales[l])
		binary.Write(&raw, binary.LittleEndian, m.Bias[l])
	}
	q := make([]byte, 2*len(m.W))
	for i, w := range m.W {
		v := math.Round(float64(w / scales[i%L]))
		binary.LittleEndian.PutUint16(q[2*i:], uint16(int16(v)))
	}
	raw.Write(q)
	return Seal(magic, FormatVersion, hdr, raw.Bytes())
}

// Seal lays out a model file as every forewarn model file is: the 8-byte
// magic, the format version (uint32), the header JSON and the
// DEFLATE-compressed body, each after its length (uint32), and a SHA-256
// of everything before it. The encoding is deterministic.
func Seal(magic [8]byte, version uint32, hdr, raw []byte) ([]byte, error) {
	var body bytes.Buffer
	zw, _ := flate.NewWriter(&body, flate.BestCompression)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress weights: %w", err)
	}
	var out bytes.Buffer
	out.Write(magic[:])
	binary.Write(&out, binary.LittleEndian, version)
	binary.Write(&out, binary.LittleEndian, uint32(len(hdr)))
	out.Write(hdr)
	binary.Write(&out, binary.LittleEndian, uint32(body.Len()))
	out.Write(body.Bytes())
	sum := sha256.Sum256(out.Bytes())
	out.Write(sum[:])
	return out.Bytes(), nil
}

// Unseal checks a file laid out by Seal (its magic, checksum, version and
// lengths) and returns its header JSON and decompressed body. Failures
// wrap forewarn.ErrBadModel.
func Unseal(b []byte, magic [8]byte, version uint32) (hdr, raw []byte, err error) {
	if len(b) < len(magic)+12+sha256.Size || !bytes.Equal(b[:len(magic)], magic[:]) {
		return nil, nil, badModel("not a forewarn model file")
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, nil, badModel("checksum mismatch: the file is corrupt or truncated")
	}
	r := bytes.NewReader(body[len(magic):])
	var v, n uint32
	binary.Read(r, binary.LittleEndian, &v)
	if v != version {
		return nil, nil, badModel("format version %d, this build reads %d", v, version)
	}
	binary.Read(r, binary.LittleEndian, &n)
	if int(n) > r.Len() {
		return nil, nil, badModel("header length %d past end of file", n)
	}
	hdr = make([]byte, n)
	io.ReadFull(r, hdr)
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil || int(n) != r.Len() {
		return nil, nil, badModel("body length does not match the file")
	}
	if raw, err = io.ReadAll(flate.NewReader(r)); err != nil {
		return nil, nil, badModel("weights: %v", err)
	}
	return hdr, raw, nil
}

// badModel wraps a decoding failure in forewarn.ErrBadModel.
func badModel(format string, args ...any) error {
	return fmt.Errorf("%w: %s", forewarn.ErrBadModel, fmt.Sprintf(format, args...))
}

// Decode parses a model file.
func Decode(b []byte) (*Model, error) {
	hdr, raw, err := Unseal(b, magic, FormatVersion)
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
	L := len(m.Labels)
	if L == 0 || len(m.Thresholds) != L || len(m.PlattA) != L || len(m.PlattB) != L {
		return nil, badModel("header: %d labels but %d thresholds", L, len(m.Thresholds))
	}
	want := 8*L + 2*int(m.Features.Buckets)*L
	if len(raw) != want {
		return nil, badModel("weights: %d bytes, want %d", len(raw), want)
	}
	scales := make([]float32, L)
	m.Bias = make([]float32, L)
	for l := range L {
		scales[l] = math.Float32frombits(binary.LittleEndian.Uint32(raw[8*l:]))
		m.Bias[l] = math.Float32frombits(binary.LittleEndian.Uint32(raw[8*l+4:]))
	}
	q := raw[8*L:]
	m.W = make([]float32, int(m.Features.Buckets)*L)
	for i := range m.W {
		m.W[i] = float32(int16(binary.LittleEndian.Uint16(q[2*i:]))) * scales[i%L]
	}
	return &m, nil
}

// Load reads and decodes the model file name from fsys.
func Load(fsys fs.FS, name string) (*Model, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	m, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", name, err)
	}
	return m, nil
}
