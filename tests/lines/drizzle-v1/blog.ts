/**
 * The blog schema of the relational query tests on Drizzle v1, with relations v2 (`defineRelations`): users with a
 * profile (one-to-one) and an inviter (self-reference), posts (one-to-many) and only the published ones (a relation
 * with a predefined filter), comments on posts by users, and tags on posts through a junction table (many-to-many).
 * CrateDB has no foreign keys; the relations are declared in TypeScript.
 */
import { defineRelations } from 'drizzle-orm';
import { blogTables } from '../../fixtures/blog-tables.js';

export function blogSchema<const P extends string = ''>(prefix: P = '' as P) {
  const tables = blogTables(prefix);
  const relations = defineRelations(tables, (r) => ({
    users: {
      profile: r.one.profiles({ from: r.users.id, to: r.profiles.userId }),
      posts: r.many.posts({ from: r.users.id, to: r.posts.authorId }),
      publishedPosts: r.many.posts({ from: r.users.id, to: r.posts.authorId, where: { publishedAt: { isNotNull: true } }, alias: 'published' }),
      comments: r.many.comments({ from: r.users.id, to: r.comments.authorId }),
      inviter: r.one.users({ from: r.users.invitedBy, to: r.users.id }),
      invitees: r.many.users({ from: r.users.id, to: r.users.invitedBy }),
    },
    profiles: {
      user: r.one.users({ from: r.profiles.userId, to: r.users.id, optional: false }),
    },
    posts: {
      author: r.one.users({ from: r.posts.authorId, to: r.users.id, optional: false }),
      // The reverse of users.publishedPosts: its filter applies to the post, so only published posts have one.
      publishedAuthor: r.one.users({ alias: 'published' }),
      comments: r.many.comments({ from: r.posts.id, to: r.comments.postId }),
      tags: r.many.tags({ from: r.posts.id.through(r.postsToTags.postId), to: r.tags.id.through(r.postsToTags.tagId) }),
    },
    comments: {
      post: r.one.posts({ from: r.comments.postId, to: r.posts.id }),
      author: r.one.users({ from: r.comments.authorId, to: r.users.id }),
    },
    tags: {
      posts: r.many.posts({ from: r.tags.id.through(r.postsToTags.tagId), to: r.posts.id.through(r.postsToTags.postId) }),
    },
  }));
  return { tables, relations };
}
