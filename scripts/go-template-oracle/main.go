// Prints Go's text/template output for each case of the golden table (the oracle for
// src/core/templates/golden/go-template-cases.json). Run by scripts/record-go-template-golden.sh;
// CI does not run Go, it compares against the recorded outputs.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"
)

type goldenCase struct {
	Name       string          `json:"name"`
	Template   string          `json:"template"`
	Data       json.RawMessage `json:"data"`
	MissingKey string          `json:"missingkey"`
}

type result struct {
	Name   string  `json:"name"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

// typed turns json.Number into int (no '.', 'e' or 'E') or float64, as the TypeScript side reads numbers.
func typed(value interface{}) interface{} {
	switch v := value.(type) {
	case json.Number:
		text := v.String()
		if !strings.ContainsAny(text, ".eE") {
			if i, err := v.Int64(); err == nil {
				return int(i)
			}
		}
		f, _ := v.Float64()
		return f
	case map[string]interface{}:
		for key, item := range v {
			v[key] = typed(item)
		}
		return v
	case []interface{}:
		for i, item := range v {
			v[i] = typed(item)
		}
		return v
	}
	return value
}

func run(c goldenCase) result {
	var data interface{}
	if len(c.Data) > 0 {
		decoder := json.NewDecoder(bytes.NewReader(c.Data))
		decoder.UseNumber()
		if err := decoder.Decode(&data); err != nil {
			message := "bad data: " + err.Error()
			return result{Name: c.Name, Error: &message}
		}
		data = typed(data)
	}
	missing := c.MissingKey
	if missing == "" {
		missing = "error"
	}
	tmpl, err := template.New("t").Option("missingkey=" + missing).Parse(c.Template)
	if err != nil {
		message := "parse: " + err.Error()
		return result{Name: c.Name, Error: &message}
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, data); err != nil {
		message := "exec: " + err.Error()
		return result{Name: c.Name, Error: &message}
	}
	output := out.String()
	return result{Name: c.Name, Output: &output}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run main.go <cases.json>")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var table struct {
		Data  json.RawMessage `json:"data"`
		Cases []goldenCase    `json:"cases"`
	}
	if err := json.Unmarshal(raw, &table); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	results := make([]result, 0, len(table.Cases))
	for _, c := range table.Cases {
		if len(c.Data) == 0 {
			c.Data = table.Data
		}
		results = append(results, run(c))
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
