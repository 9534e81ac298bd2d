import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="card" aria-labelledby="not-found-heading">
      <h1 id="not-found-heading">Page not found</h1>
      <p>
        <Link href="/dashboard/videos/new">Create a video</Link> or see <Link href="/dashboard/jobs">your jobs</Link>.
      </p>
    </section>
  );
}
