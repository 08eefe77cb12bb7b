import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Pager, type PageLinkProps } from './Pager';

// A plain anchor stands in for the router's Link: the pager only hands it a target and props.
const anchor = (target: number, { className, children }: PageLinkProps) => (
  <a href={`?page=${target}`} className={className}>
    {children}
  </a>
);

function renderPager(page: number, hasNext: boolean) {
  render(<Pager page={page} hasNext={hasNext} renderLink={anchor} />);
}

describe('Pager', () => {
  it('shows nothing when everything fits on one page', () => {
    renderPager(1, false);
    expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
  });

  it('on the first page, offers only the next one', () => {
    renderPager(1, true);
    const nav = screen.getByRole('navigation', { name: 'Paginación' });
    expect(within(nav).getByText('Anterior')).toHaveAttribute('aria-disabled', 'true');
    expect(within(nav).queryByRole('link', { name: 'Anterior' })).not.toBeInTheDocument();
    expect(within(nav).getByText('Página 1')).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Siguiente' })).toHaveAttribute('href', '?page=2');
  });

  it('between pages, links both ways', () => {
    renderPager(3, true);
    expect(screen.getByRole('link', { name: 'Anterior' })).toHaveAttribute('href', '?page=2');
    expect(screen.getByText('Página 3')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Siguiente' })).toHaveAttribute('href', '?page=4');
  });

  it('on the last page, offers only the previous one', () => {
    renderPager(2, false);
    expect(screen.getByRole('link', { name: 'Anterior' })).toHaveAttribute('href', '?page=1');
    expect(screen.getByText('Siguiente')).toHaveAttribute('aria-disabled', 'true');
    expect(screen.queryByRole('link', { name: 'Siguiente' })).not.toBeInTheDocument();
  });

  it('styles a link and a step leading nowhere alike, the latter dimmed', () => {
    renderPager(2, false);
    const previous = screen.getByRole('link', { name: 'Anterior' });
    const next = screen.getByText('Siguiente');
    expect(next.className).toBe(`${previous.className} opacity-50`);
  });
});
