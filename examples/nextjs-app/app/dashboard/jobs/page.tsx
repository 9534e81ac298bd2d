import type { Metadata } from 'next';
import { JobsDashboard } from '@/components/job-history';

export const metadata: Metadata = { title: 'Jobs' };

export default function JobsPage() {
  return (
    <>
      <h1>Jobs</h1>
      <JobsDashboard />
    </>
  );
}
