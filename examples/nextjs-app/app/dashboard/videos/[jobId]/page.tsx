import type { Metadata } from 'next';
import { JobDetails } from '@/components/job-details';

export const metadata: Metadata = { title: 'Video' };

export default async function VideoPage({ params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  return <JobDetails jobId={decodeURIComponent(jobId)} />;
}
