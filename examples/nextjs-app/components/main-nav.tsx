'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/dashboard/videos/new', label: 'New video' },
  { href: '/dashboard/jobs', label: 'Jobs' },
  { href: '/dashboard/analytics', label: 'Analytics' },
  { href: '/dashboard/templates', label: 'Templates' },
];

export function MainNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      <ul className="nav-list">
        {LINKS.map(({ href, label }) => (
          <li key={href}>
            <Link href={href} aria-current={pathname === href ? 'page' : undefined}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
