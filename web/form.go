package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"strings"
)

// Django's reasons for refusing a request body.
var (
	errBodyTooBig = &Error{
		Status:  http.StatusBadRequest,
		Kind:    "RequestDataTooBig",
		Message: "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.",
	}
	errTooManyFiles = &Error{
		Status:  http.StatusBadRequest,
		Kind:    "TooManyFilesSent",
		Message: "The number of files exceeded settings.DATA_UPLOAD_MAX_NUMBER_FILES.",
	}
	// errBodyConsumed is Django's RawPostDataException: a programming error, hence a 500.
	errBodyConsumed = errors.New("web: the request body was read as a multipart form (by Form, Files or FormValue) and is gone; " +
		"read Body before Form to have both, as the form is then parsed from the bytes Body kept")
	errNotUTF8 = &Error{
		Status:  http.StatusBadRequest,
		Message: "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded.",
	}
)

// Body returns the request body, read once and kept. A body larger than
// Limits.MaxMemorySize is refused with a 400 *Error (Django's RequestDataTooBig): a declared
// Content-Length is checked before anything is read, a chunked body as it arrives. A multipart
// form streams its files instead of keeping the body: once Form has parsed one, Body returns an
// error (Django's RawPostDataException); call Body first to have both.
func (r *Request) Body() ([]byte, error) {
	d := r.data()
	if d.bodyRead {
		return d.body, d.bodyErr
	}
	d.bodyRead = true
	d.body, d.bodyErr = r.readBody(r.site.Limits.maxMemory())
	return d.body, d.bodyErr
}

func (r *Request) readBody(max int64) ([]byte, error) {
	if r.Request.Body == nil || r.Request.Body == http.NoBody {
		return nil, nil
	}
	if max >= 0 && r.ContentLength > max {
		return nil, errBodyTooBig
	}
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 {
		// The declared length is a claim, not bytes received: make room for it only up to
		// what the default limit lets in, so that a client cannot make the server allocate
		// gigabytes it never sends.
		buf.Grow(int(min(n, maxPreallocBody)))
	}
	src := io.Reader(r.Request.Body)
	if max >= 0 {
		src = io.LimitReader(src, max+1)
	}
	if _, err := buf.ReadFrom(src); err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Message: "the request body could not be read", Err: err}
	}
	if max >= 0 && int64(buf.Len()) > max {
		return nil, errBodyTooBig
	}
	return buf.Bytes(), nil
}

// maxPreallocBody is the most room Body makes for a body before reading it: the default limit,
// rounded up.
const maxPreallocBody = 4 << 20

// DecodeJSON reads the body as JSON into v. A body that is not valid JSON for v is a 400 *Error
// that says where decoding failed.
func (r *Request) DecodeJSON(v any) error {
	body, err := r.Body()
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return BadRequest("the request body is empty; expected JSON")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &Error{Status: http.StatusBadRequest, Message: "the request body is not valid JSON", Err: err}
	}
	return nil
}

// UploadedFile is a file sent in a multipart form. Files are kept in memory while the request's
// files together fit Limits.FileMemorySize, the others in a temporary file that is removed when
// the request ends.
type UploadedFile struct {
	// Filename is the name the client gave, without any directory part. Never use it as a path
	// without cleaning it.
	Filename string
	// Header holds the part's MIME headers, such as Content-Type.
	Header textproto.MIMEHeader
	// Size is the file's length in bytes.
	Size int64

	data []byte
	path string
}

// ContentType returns the Content-Type the client declared for the file.
func (f *UploadedFile) ContentType() string { return f.Header.Get("Content-Type") }

// Open returns the file's content for reading.
func (f *UploadedFile) Open() (io.ReadCloser, error) {
	if f.path != "" {
		return os.Open(f.path)
	}
	return io.NopCloser(bytes.NewReader(f.data)), nil
}

type formData struct {
	values url.Values
	files  map[string][]*UploadedFile
	err    error
	temps  []string
}

// Form returns the fields of a urlencoded or multipart body (POST, PUT and PATCH; other methods
// and content types have none), parsed once. It enforces Django's limits, each refusal a 400
// *Error with Django's reason: Limits.MaxMemorySize on the body (for multipart, on the non-file
// fields), Limits.MaxNumberFields fields, Limits.MaxNumberFiles files, at most 8 KiB of headers
// per multipart part, and UTF-8 for urlencoded bodies. Query parameters are not included; see
// Query.
func (r *Request) Form() (url.Values, error) {
	f := r.parseForm()
	return f.values, f.err
}

// Files returns the files of a multipart body, by field name.
func (r *Request) Files() (map[string][]*UploadedFile, error) {
	f := r.parseForm()
	return f.files, f.err
}

// FormValue returns the first value of the named field, looking in the body's form first and
// then in the query, as net/http's FormValue does but with Django's limits. Like Query, it
// panics with the 400 *Error when the body breaks a limit; the gateway answers it.
func (r *Request) FormValue(key string) string {
	values, err := r.Form()
	if err != nil {
		panic(err)
	}
	if vs := values[key]; len(vs) > 0 {
		return vs[0]
	}
	return r.Query().Get(key)
}

// PostFormValue returns the first value of the named body field, or "", with FormValue's rules.
func (r *Request) PostFormValue(key string) string {
	values, err := r.Form()
	if err != nil {
		panic(err)
	}
	return values.Get(key)
}

func (r *Request) parseForm() *formData {
	d := r.data()
	if d.form != nil {
		return d.form
	}
	f := &formData{values: url.Values{}}
	d.form = f
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return f
	}
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/x-www-form-urlencoded":
		if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") {
			f.err = errNotUTF8
			return f
		}
		body, err := r.Body()
		if err != nil {
			f.err = err
			return f
		}
		if err := r.checkFieldCount(string(body)); err != nil {
			f.err = err
			return f
		}
		f.values, _ = url.ParseQuery(string(body))
	case "multipart/form-data":
		if params["boundary"] == "" {
			f.err = BadRequest("a multipart body needs a boundary parameter in its Content-Type")
			return f
		}
		f.err = r.parseMultipart(f, params["boundary"])
		if f.err != nil {
			f.values = url.Values{}
			f.files = nil
		}
	}
	return f
}

func (r *Request) parseMultipart(f *formData, boundary string) error {
	if r.Request.Body == nil {
		return nil
	}
	var src io.Reader = r.Request.Body
	if d := r.data(); d.bodyRead {
		// Body has read the stream already: parse what it kept, as Django parses request.body.
		if d.bodyErr != nil {
			return d.bodyErr
		}
		src = bytes.NewReader(d.body)
	} else {
		// The form consumes the stream; Body can no longer return it.
		d.bodyRead, d.bodyErr = true, errBodyConsumed
	}
	limits := &r.site.Limits
	maxMemory, maxFields, maxFiles, fileMemory := limits.maxMemory(), limits.maxFields(), limits.maxFiles(), limits.fileMemory()
	mr := multipart.NewReader(src, boundary)
	var fieldBytes, fileBytes int64 // fileBytes: of files kept in memory
	fields, files := 0, 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &Error{Status: http.StatusBadRequest, Message: "the multipart body is malformed", Err: err}
		}
		if headerSize(part.Header) > maxPartHeaderBytes {
			part.Close()
			return errPartHeaderTooBig
		}
		name := part.FormName()
		if name == "" {
			part.Close()
			continue
		}
		fields++
		// Django allows two more parts than the field limit in a multipart body.
		if maxFields >= 0 && fields > maxFields+2 {
			return errTooManyFields
		}
		if part.FileName() == "" {
			budget := int64(-1)
			if maxMemory >= 0 {
				budget = maxMemory - fieldBytes
			}
			value, err := readLimited(part, budget)
			if err != nil {
				return err
			}
			fieldBytes += int64(len(value))
			f.values.Add(name, string(value))
			continue
		}
		files++
		if maxFiles >= 0 && files > maxFiles {
			return errTooManyFiles
		}
		memory := max(fileMemory-fileBytes, 0) // what is left of the files' memory budget
		file, err := r.saveFile(f, part, memory)
		if err != nil {
			return err
		}
		if file.path == "" {
			fileBytes += file.Size
		}
		if f.files == nil {
			f.files = make(map[string][]*UploadedFile)
		}
		f.files[name] = append(f.files[name], file)
	}
}

// maxPartHeaderBytes bounds the headers of one part of a multipart body. A file keeps its
// part's headers until the request ends, and mime/multipart accepts megabytes of them; Django
// reads a part's headers from its first 1024 bytes. Browsers send a Content-Disposition and a
// Content-Type, a few hundred bytes even with a long file name.
const maxPartHeaderBytes = 8 << 10

var errPartHeaderTooBig = &Error{
	Status:  http.StatusBadRequest,
	Message: fmt.Sprintf("a part of the multipart body has more than %d bytes of headers", maxPartHeaderBytes),
}

// headerSize returns the length of h as it was sent: "Name: value\r\n" for each value.
func headerSize(h textproto.MIMEHeader) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

func readLimited(src io.Reader, max int64) ([]byte, error) {
	if max >= 0 {
		src = io.LimitReader(src, max+1)
	}
	b, err := io.ReadAll(src)
	if err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Message: "the multipart body is malformed or was cut short", Err: err}
	}
	if max >= 0 && int64(len(b)) > max {
		return nil, errBodyTooBig
	}
	return b, nil
}

func (r *Request) saveFile(f *formData, part *multipart.Part, memory int64) (*UploadedFile, error) {
	file := &UploadedFile{Filename: part.FileName(), Header: part.Header}
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, part, memory+1)
	if err != nil && err != io.EOF {
		return nil, &Error{Status: http.StatusBadRequest, Message: "an uploaded file could not be read", Err: err}
	}
	if n <= memory {
		file.data, file.Size = buf.Bytes(), n
		return file, nil
	}
	tmp, err := os.CreateTemp("", "canter-upload-")
	if err != nil {
		return nil, fmt.Errorf("storing an uploaded file: %w", err)
	}
	f.temps = append(f.temps, tmp.Name())
	file.path = tmp.Name()
	src := &readErrors{r: io.MultiReader(&buf, part)}
	written, err := io.Copy(tmp, src)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if src.err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Message: "an uploaded file could not be read", Err: src.err}
	}
	if err != nil {
		return nil, fmt.Errorf("storing an uploaded file: %w", err)
	}
	file.Size = written
	return file, nil
}

// readErrors remembers the error of its reader, to tell a client's broken upload (400) from a
// full disk (500).
type readErrors struct {
	r   io.Reader
	err error
}

func (e *readErrors) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// Close removes the temporary files of the request's uploads. The gateway calls it when the
// request is done.
func (r *Request) Close() {
	if r.parsed == nil || r.parsed.form == nil {
		return
	}
	f := r.parsed.form
	for _, name := range f.temps {
		os.Remove(name)
	}
	f.temps = nil
}
