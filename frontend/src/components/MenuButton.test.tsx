import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { MenuButton } from './MenuButton';

function renderMenu() {
  const ran: string[] = [];
  const actions = ['Uno', 'Dos', 'Tres'].map((label) => ({ label, run: vi.fn<() => void>(() => {
    ran.push(label);
  }) }));
  render(
    <>
      <MenuButton label="Más acciones" actions={actions} />
      <button type="button">Después</button>
    </>,
  );
  return { ran, button: screen.getByRole('button', { name: 'Más acciones' }) };
}

describe('MenuButton (the WAI-ARIA menu button)', () => {
  it('is a closed menu button until opened', () => {
    const { button } = renderMenu();
    expect(button).toHaveAttribute('aria-haspopup', 'menu');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });

  it('opens from the keyboard on the first item, walks with the arrows and runs with Enter', async () => {
    const { ran, button } = renderMenu();
    const user = userEvent.setup();
    await user.tab();
    expect(button).toHaveFocus();
    await user.keyboard('{Enter}');
    const menu = screen.getByRole('menu', { name: 'Más acciones' });
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(button).toHaveAttribute('aria-controls', menu.id);
    expect(screen.getByRole('menuitem', { name: 'Uno' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Dos' })).toHaveFocus();
    await user.keyboard('{End}');
    expect(screen.getByRole('menuitem', { name: 'Tres' })).toHaveFocus();
    await user.keyboard('{ArrowDown}'); // wraps
    expect(screen.getByRole('menuitem', { name: 'Uno' })).toHaveFocus();
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(screen.getByRole('menuitem', { name: 'Dos' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(ran).toEqual(['Dos']);
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(button).toHaveFocus();
  });

  it('opens on the last item with ArrowUp; Escape closes it and gives focus back', async () => {
    const { ran, button } = renderMenu();
    const user = userEvent.setup();
    button.focus();
    await user.keyboard('{ArrowUp}');
    expect(screen.getByRole('menuitem', { name: 'Tres' })).toHaveFocus();
    await user.keyboard('{Home}');
    expect(screen.getByRole('menuitem', { name: 'Uno' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(button).toHaveFocus();
    expect(ran).toEqual([]);
  });

  it('runs an item with Space, and closes on Tab or a click elsewhere', async () => {
    const { ran, button } = renderMenu();
    const user = userEvent.setup();
    await user.click(button);
    expect(screen.getByRole('menuitem', { name: 'Uno' })).toHaveFocus();
    await user.tab();
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    await user.click(button);
    await user.click(screen.getByRole('button', { name: 'Después' }));
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    button.focus();
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{ }');
    expect(ran).toEqual(['Tres']);
  });
});
