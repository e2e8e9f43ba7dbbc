import { drizzle } from '../../src/index.js';
import { blogSchema } from '../fixtures/blog.js';
const schema = blogSchema();
const db = drizzle({ connection: 'http://127.0.0.1:4200', schema });
type R = NonNullable<typeof db._.schema>;
type Rel<K extends keyof R> = {} & { [P in keyof R[K]['relations']]: R[K]['relations'][P] extends { referencedTableName: infer N; isNullable: infer B } ? [N, B] : R[K]['relations'][P] extends { referencedTableName: infer N } ? [N, 'many'] : never };
type Id<T> = T extends infer U ? { [K in keyof U]: U[K] } : never;
export function probe() {
  null as unknown as Id<Rel<'tags'>> satisfies 1;
  null as unknown as Id<Rel<'postsToTags'>> satisfies 1;
  null as unknown as Id<Rel<'users'>> satisfies 1;
  null as unknown as Id<Rel<'posts'>> satisfies 1;
  null as unknown as Id<Rel<'comments'>> satisfies 1;
  null as unknown as Id<Rel<'profiles'>> satisfies 1;
}
