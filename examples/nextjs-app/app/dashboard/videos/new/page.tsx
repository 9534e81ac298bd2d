import type { Metadata } from 'next';
import { NewVideo } from '@/components/new-video';

export const metadata: Metadata = { title: 'New video' };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function NewVideoPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  return <NewVideo scriptId={one(query.scriptId)} jobId={one(query.jobId)} />;
}
