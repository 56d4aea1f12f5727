package com.fcminiapp.examples.guestbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.kit.AppErrors;
import com.fcminiapp.kit.AppFunction;
import com.fcminiapp.kit.Caller;
import com.fcminiapp.kit.Kit;
import com.fcminiapp.kit.Rows;
import com.fcminiapp.kit.Table;

/**
 * Likes a post of the creator-write table {@code guestbook} for any signed-in user, at most once per user: input
 * {@code {"id": "<post id>"}} adds the caller's uid to the post's {@code likedBy} and 1 to its {@code likes};
 * {@code {"id", "like": false}} takes them back. Liking a post already liked (or unliking one not liked) changes
 * nothing. Answers the post after. The function acts with server authority, which creator-write gives no user on
 * another user's post.
 */
public final class LikeFunction implements AppFunction {

    static final String TABLE = "guestbook";
    static final String LIKES = "likes";
    static final String LIKED_BY = "likedBy";
    /** The longest id the db function accepts. */
    static final int MAX_ID = 256;
    /**
     * A write loses only when another write of the post landed between its read and its write, so of N users
     * liking one post at once each finishes within N attempts. 32 carries a burst of 32 simultaneous likes of one
     * post; past that the caller is told to retry rather than kept waiting.
     */
    static final int ATTEMPTS = 32;

    private final Table guestbook;

    public LikeFunction(Kit kit) {
        this.guestbook = kit.table(TABLE);
    }

    @Override
    public Object handle(Caller caller, JsonNode input) {
        String id = postId(input);
        boolean like = like(input);
        Rows rows = guestbook.rowsOf(caller);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ObjectNode post = rows.get(id);
            if (post == null) {
                throw AppErrors.notFound("No post with this id.");
            }
            if (likedBy(post, caller.uid()) == like) {
                return post;
            }
            try {
                return rows.update(id, ops(caller.uid(), like, post.path("_version").asLong()));
            } catch (ApiException e) {
                if (e.code() != ErrorCode.CONFLICT) {
                    throw e;
                }
                // another write of the post came first: read it again, it may hold this like already
            }
        }
        throw AppErrors.conflict("Too many people are changing this post at once; try again.");
    }

    /** {@code {inc: {likes: ±1}, push|pull: {likedBy: [uid]}, version}}: applied only to the row as read. */
    private static ObjectNode ops(String uid, boolean like, long version) {
        ObjectNode ops = JsonNodeFactory.instance.objectNode();
        ops.putObject("inc").put(LIKES, like ? 1 : -1);
        ops.putObject(like ? "push" : "pull").putArray(LIKED_BY).add(uid);
        ops.put("version", version);
        return ops;
    }

    /** Whether the stored post's {@code likedBy} holds {@code uid} (a missing or non-array field holds nobody). */
    private static boolean likedBy(ObjectNode post, String uid) {
        for (JsonNode liker : post.path(LIKED_BY)) {
            if (liker.isTextual() && liker.asText().equals(uid)) {
                return true;
            }
        }
        return false;
    }

    private static String postId(JsonNode input) {
        JsonNode id = input == null ? null : input.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()
                || id.asText().codePointCount(0, id.asText().length()) > MAX_ID
                || id.asText().chars().anyMatch(Character::isISOControl)) {
            throw AppErrors.invalid("input.id must be a post's id: a string of 1 to " + MAX_ID
                    + " characters without control characters.");
        }
        return id.asText();
    }

    private static boolean like(JsonNode input) {
        JsonNode like = input.get("like");
        if (like == null || like.isNull()) {
            return true;
        }
        if (!like.isBoolean()) {
            throw AppErrors.invalid("input.like must be true (like, the default) or false (take the like back).");
        }
        return like.booleanValue();
    }
}
