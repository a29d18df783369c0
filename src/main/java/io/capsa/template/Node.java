package io.capsa.template;

import java.util.ArrayList;
import java.util.List;

/**
 * The parse tree, shaped as Go's text/template/parse tree. toString() spells a node as Go does, since
 * execution errors quote the node they happened at ("executing \"\" at <.State.Pid>: ...").
 */
abstract class Node {
    /** Offset of the node in the template text, for the line:column of execution errors. */
    final int pos;

    Node(int pos) {
        this.pos = pos;
    }

    static final class ListNode extends Node {
        final List<Node> nodes = new ArrayList<>();

        ListNode(int pos) {
            super(pos);
        }

        @Override
        public String toString() {
            return join(nodes, "");
        }
    }

    static final class TextNode extends Node {
        final String text;

        TextNode(int pos, String text) {
            super(pos);
            this.text = text;
        }

        @Override
        public String toString() {
            return GoFormat.quote(text);
        }
    }

    static final class ActionNode extends Node {
        final PipeNode pipe;

        ActionNode(int pos, PipeNode pipe) {
            super(pos);
            this.pipe = pipe;
        }

        @Override
        public String toString() {
            return "{{" + pipe + "}}";
        }
    }

    /** Commands joined by '|', optionally declaring ($x := ...) or assigning ($x = ...) variables. */
    static final class PipeNode extends Node {
        final List<VariableNode> decls = new ArrayList<>();
        final List<CommandNode> commands = new ArrayList<>();
        boolean assign;

        PipeNode(int pos) {
            super(pos);
        }

        @Override
        public String toString() {
            return decls.isEmpty() ? join(commands, " | ") : join(decls, ", ") + (assign ? " = " : " := ") + join(commands, " | ");
        }
    }

    static final class CommandNode extends Node {
        final List<Node> args = new ArrayList<>();

        CommandNode(int pos) {
            super(pos);
        }

        @Override
        public String toString() {
            return join(args, " ");
        }
    }

    /** A function name. */
    static final class IdentifierNode extends Node {
        final String name;

        IdentifierNode(int pos, String name) {
            super(pos);
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** .A.B: field names looked up in dot. */
    static final class FieldNode extends Node {
        final String[] names;

        FieldNode(int pos, String[] names) {
            super(pos);
            this.names = names;
        }

        @Override
        public String toString() {
            return "." + String.join(".", names);
        }
    }

    /** $x.A.B: names[0] is the variable ("$" is the root), the rest are fields. */
    static final class VariableNode extends Node {
        final String[] names;

        VariableNode(int pos, String[] names) {
            super(pos);
            this.names = names;
        }

        @Override
        public String toString() {
            return String.join(".", names);
        }
    }

    /** (pipeline).A.B: fields of a parenthesized pipeline's value. */
    static final class ChainNode extends Node {
        final Node node;
        final String[] names;

        ChainNode(int pos, Node node, String[] names) {
            super(pos);
            this.node = node;
            this.names = names;
        }

        @Override
        public String toString() {
            return parenthesized(node) + "." + String.join(".", names);
        }
    }

    /** A constant: a string, number, boolean or nil, as written and as valued. */
    static final class LiteralNode extends Node {
        final String text;
        final Object value;

        LiteralNode(int pos, String text, Object value) {
            super(pos);
            this.text = text;
            this.value = value;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static final class DotNode extends Node {
        DotNode(int pos) {
            super(pos);
        }

        @Override
        public String toString() {
            return ".";
        }
    }

    /** if, range and with: a pipeline, a body, and what runs otherwise. */
    static final class BranchNode extends Node {
        final String keyword;
        final PipeNode pipe;
        final ListNode list;
        final ListNode elseList; // null without {{else}}

        BranchNode(int pos, String keyword, PipeNode pipe, ListNode list, ListNode elseList) {
            super(pos);
            this.keyword = keyword;
            this.pipe = pipe;
            this.list = list;
            this.elseList = elseList;
        }

        @Override
        public String toString() {
            return "{{" + keyword + " " + pipe + "}}" + list + (elseList == null ? "" : "{{else}}" + elseList) + "{{end}}";
        }
    }

    /** {{break}} or {{continue}} inside a range. */
    static final class LoopControlNode extends Node {
        final boolean isBreak;

        LoopControlNode(int pos, boolean isBreak) {
            super(pos);
            this.isBreak = isBreak;
        }

        @Override
        public String toString() {
            return isBreak ? "{{break}}" : "{{continue}}";
        }
    }

    /** Nodes spelled one after the other; a pipeline among them in parentheses, as it was written. */
    private static String join(List<? extends Node> nodes, String separator) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) s.append(i > 0 ? separator : "").append(parenthesized(nodes.get(i)));
        return s.toString();
    }

    private static String parenthesized(Node n) {
        return n instanceof PipeNode ? "(" + n + ")" : n.toString();
    }
}
