package io.capsa.template;

import io.capsa.template.Node.ListNode;

import java.util.List;

/**
 * A Go text/template, as docker's CLI parses them for --format and inspect -f: Go's actions, pipelines,
 * variables, if/range/with, built-in functions, and docker's json, split, join, title, lower, upper, pad
 * and truncate. Parse once, execute per item.
 *
 * The data is JSON-shaped Java: Map with String keys (fields: .State.Pid), List, String, Long or Integer,
 * Double, Boolean and null. A missing key prints "&lt;no value&gt;"; maps print with sorted keys as
 * "map[k:v]"; json prints a map in its iteration order, so give it Docker's field order.
 */
public final class Template {
    /**
     * A map value that computes its result, as Go calls a method named as a field: docker's
     * {{.Label "com.example.vendor"}} is a Method under the key "Label". It gets the arguments after its
     * name (and a piped value last); an IllegalArgumentException becomes "error calling Label: MESSAGE".
     */
    @FunctionalInterface
    public interface Method {
        Object call(List<Object> args);
    }

    private final String text;
    private final ListNode root;

    private Template(String text, ListNode root) {
        this.text = text;
        this.root = root;
    }

    /** Throws TemplateException, worded as Go's ("template: :1: function \"foo\" not defined"). */
    public static Template parse(String text) {
        return new Template(text, Parser.parse(text));
    }

    /** The output for one value; a TemplateException if execution fails. */
    public String execute(Object data) {
        StringBuilder out = new StringBuilder();
        execute(data, out);
        return out.toString();
    }

    /** Appends the output for one value; on failure appends nothing and throws TemplateException. */
    public void execute(Object data, StringBuilder out) {
        execute(data, out, false);
    }

    void execute(Object data, StringBuilder out, boolean header) {
        int length = out.length();
        try {
            new Exec(text, header, out).run(root, data);
        } catch (TemplateException e) {
            out.setLength(length);
            throw e;
        }
    }
}
