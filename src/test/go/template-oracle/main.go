// Command template-oracle runs template cases through Go's text/template with docker's functions, to
// produce the expected outputs that io.capsa.template.GoOracleTest checks capsa's implementation against.
//
//	cd src/test/resources/io/capsa/template && go run ../../../../go/template-oracle/main.go data.json cases.json > go-expected.json
//
// The data's integers become Go ints (capsa's JSON reader keeps them as Long), other numbers float64.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"
)

var dockerFuncs = template.FuncMap{
	"json": func(v any) string {
		var b bytes.Buffer
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(false)
		e.Encode(v)
		return strings.TrimSpace(b.String())
	},
	"split": strings.Split,
	"join":  strings.Join,
	"title": strings.Title,
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
	"pad": func(s string, prefix, suffix int) string {
		if s == "" {
			return s
		}
		return strings.Repeat(" ", prefix) + s + strings.Repeat(" ", suffix)
	},
	"truncate": func(s string, n int) string {
		if len(s) < n {
			return s
		}
		return s[:n]
	},
}

func ints(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = ints(e)
		}
	case []any:
		for i, e := range x {
			x[i] = ints(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

type result struct {
	T   string `json:"t"`
	Out string `json:"out"`
	Err string `json:"err,omitempty"`
}

func main() {
	raw, _ := os.ReadFile(os.Args[1])
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var data any
	if err := d.Decode(&data); err != nil {
		panic(err)
	}
	data = ints(data)
	var cases []string
	raw, _ = os.ReadFile(os.Args[2])
	if err := json.Unmarshal(raw, &cases); err != nil {
		panic(err)
	}
	var results []result
	for _, c := range cases {
		r := result{T: c}
		t, err := template.New("").Funcs(dockerFuncs).Parse(c)
		if err == nil {
			var b bytes.Buffer
			if err = t.Execute(&b, data); err == nil {
				r.Out = b.String()
			}
		}
		if err != nil {
			r.Err = err.Error()
		}
		results = append(results, r)
	}
	e := json.NewEncoder(os.Stdout)
	e.SetEscapeHTML(false)
	e.SetIndent("", "  ")
	if err := e.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
