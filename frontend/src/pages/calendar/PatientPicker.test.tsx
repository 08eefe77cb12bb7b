import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appointmentRecord } from '../../test/appointmentFixtures';
import { FakeServer } from '../../test/fakeServer';
import { patientPage, patientRecord } from '../../test/fixtures';
import { inTimeZone } from '../../test/timeZone';
import { bookingDraft, jose, openBookingDialog } from './bookingDialogFixture';

// Issue 14, defect 4: the patient picker is a combobox a keyboard user can drive (WAI-ARIA APG
// "combobox with listbox popup"), and picking moves focus somewhere inside the dialog.
inTimeZone('Europe/Madrid');

const lucia = patientRecord({
  id: 'p-lucia',
  firstName: 'Lucía',
  lastName: 'García Martínez',
  fullName: 'Lucía García Martínez',
  taxId: null,
});

function server() {
  return new FakeServer()
    .on('GET /api/patients', patientPage([patientRecord(), lucia]))
    .on('POST /api/appointments', { status: 201, body: appointmentRecord() });
}

const combobox = () => screen.getByRole('combobox', { name: 'Paciente' });

/** Type a search and wait for its two results to be listed. */
async function search(user: Awaited<ReturnType<typeof openBookingDialog>>['user']) {
  await user.type(combobox(), 'garcia');
  return screen.findByRole('listbox', { name: 'Pacientes encontrados' });
}

describe('the patient picker, from the keyboard', () => {
  it('is a combobox whose aria-controls names a listbox that exists, open or not', async () => {
    const { user } = await openBookingDialog(server(), bookingDraft());
    const input = combobox();
    expect(input).toHaveFocus();
    expect(input).toHaveAttribute('aria-expanded', 'false');
    const controlled = document.getElementById(input.getAttribute('aria-controls')!);
    expect(controlled).toHaveAttribute('role', 'listbox');

    const list = await search(user);
    expect(list).toBe(controlled);
    expect(input).toHaveAttribute('aria-expanded', 'true');
    expect(within(list).getAllByRole('option').map((option) => option.textContent)).toEqual([
      expect.stringContaining('José García Núñez'),
      expect.stringContaining('Lucía García Martínez'),
    ]);
    expect(input).not.toHaveAttribute('aria-activedescendant');
  });

  it('moves through the results with the arrows and picks with Enter, without booking', async () => {
    const fake = server();
    const { onBooked, user } = await openBookingDialog(fake, bookingDraft());
    const list = await search(user);
    const [first, second] = within(list).getAllByRole('option');
    await user.keyboard('{ArrowDown}');
    expect(combobox()).toHaveAttribute('aria-activedescendant', first!.id);
    expect(first).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}');
    expect(combobox()).toHaveAttribute('aria-activedescendant', second!.id);
    await user.keyboard('{ArrowDown}'); // wraps round
    expect(combobox()).toHaveAttribute('aria-activedescendant', first!.id);
    await user.keyboard('{ArrowUp}');
    expect(combobox()).toHaveAttribute('aria-activedescendant', second!.id);
    expect(second).toHaveAttribute('aria-selected', 'true');
    expect(first).toHaveAttribute('aria-selected', 'false');

    await user.keyboard('{Enter}');
    expect(screen.getByTestId('picked-patient')).toHaveTextContent('Lucía García Martínez');
    // The search box is gone: focus is on "Cambiar", inside the dialog, not on <body>.
    expect(screen.getByRole('button', { name: 'Cambiar' })).toHaveFocus();
    expect(fake.calls('POST /api/appointments')).toEqual([]);
    expect(onBooked).not.toHaveBeenCalled();

    // "Cambiar" gives the search box back, focused.
    await user.keyboard('{Enter}');
    expect(combobox()).toHaveFocus();
  });

  it('closes the list on Escape and leaves the dialog open; a second Escape closes the dialog', async () => {
    const { onClose, user } = await openBookingDialog(server(), bookingDraft());
    const list = await search(user);
    await user.keyboard('{ArrowDown}');
    await user.keyboard('{Escape}');
    expect(list).not.toBeVisible();
    expect(combobox()).toHaveAttribute('aria-expanded', 'false');
    expect(combobox()).not.toHaveAttribute('aria-activedescendant');
    expect(combobox()).toHaveValue('garcia');
    expect(onClose).not.toHaveBeenCalled();
    // ArrowDown opens it again.
    await user.keyboard('{ArrowDown}');
    expect(list).toBeVisible();
    await user.keyboard('{Escape}{Escape}');
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('picks with a click too, keeping focus in the dialog', async () => {
    const { user } = await openBookingDialog(server(), bookingDraft());
    const list = await search(user);
    await user.click(within(list).getByRole('option', { name: /José García Núñez/ }));
    expect(screen.getByTestId('picked-patient')).toHaveTextContent(jose.fullName);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Cambiar' })).toHaveFocus());
  });
});
