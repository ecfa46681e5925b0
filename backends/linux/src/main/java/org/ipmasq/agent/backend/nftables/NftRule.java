package org.ipmasq.agent.backend.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One rule we want, in both forms that matter: the nft statement written with {@code add rule},
 * and the expression list {@code nft -j} prints for it, so the kernel's copy is compared
 * structurally. The comment is part of both.
 *
 * @param statement nft syntax without the comment, e.g. {@code ip daddr @non-masquerade return}
 * @param expr the rule's {@code expr} array as the kernel prints it back
 */
record NftRule(String statement, JsonNode expr, Optional<String> comment) {

    NftRule {
        expr = JsonCanon.of(expr);
        comment.ifPresent(NftRule::checkComment);
    }

    static NftRule of(String statement, JsonNode expr) {
        return new NftRule(statement, expr, Optional.empty());
    }

    static NftRule of(String statement, JsonNode expr, String comment) {
        return new NftRule(statement, expr, Optional.of(comment));
    }

    /** The text after {@code add rule <family> <table> <chain>}. */
    String text() {
        return comment.map(c -> statement + " comment \"" + c + "\"").orElse(statement);
    }

    /** Whether the kernel's rule is this one: same expressions, same comment. */
    boolean sameAs(HeldRule held) {
        return expr.equals(JsonCanon.of(held.expr())) && comment.equals(held.comment());
    }

    /** Our comments are constants; nft has no escape for a double quote and keeps at most 128 bytes. */
    private static void checkComment(String comment) {
        if (comment.indexOf('"') >= 0 || comment.length() > 128) {
            throw new IllegalArgumentException("not a usable nft comment: " + comment);
        }
    }
}
